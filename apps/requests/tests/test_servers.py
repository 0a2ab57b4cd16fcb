"""Radarr/Sonarr servers in the API and the admin: write-only keys, test connection, profiles and folders."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core.testing.arr import API_KEY
from apps.requests.models import ArrServer

pytestmark = pytest.mark.django_db
URL = "/api/v1/requests/servers/"
OPT_IN = {"allow_private_network": True}


@pytest.fixture
def admin_api():
    boss = users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    client = APIClient()
    client.force_authenticate(boss)
    return client


def test_a_server_is_added_tested_and_its_options_listed(admin_api, radarr):
    created = admin_api.post(
        URL,
        {
            "kind": "radarr",
            "name": "Radarr",
            "base_url": radarr.url + "/",
            "api_key": API_KEY,
            "is_default": True,
            "allow_private_network": True,  # the stand-in is on 127.0.0.1: the admin opts in
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert "api_key" not in body and body["webhook_secret"] and body["base_url"] == radarr.url
    server_id = body["id"]
    tested = admin_api.post(f"{URL}{server_id}/test/").json()
    assert tested == {"ok": True, "message": "connected to Radarr 5.14.0.9383"}
    assert admin_api.get(f"{URL}{server_id}/").json()["last_check"] == "connected to Radarr 5.14.0.9383"
    options = admin_api.get(f"{URL}{server_id}/options/").json()
    assert options["quality_profiles"] == [{"id": 1, "name": "Any"}, {"id": 4, "name": "HD-1080p"}]
    assert options["root_folders"][0]["path"] == "/data/media"


def test_a_wrong_key_or_address_is_reported_not_raised(admin_api, radarr):
    server = ArrServer.objects.create(
        kind="radarr", name="R", base_url=radarr.url, api_key="wrong", allow_private_network=True
    )
    tested = admin_api.post(f"{URL}{server.pk}/test/").json()
    assert tested["ok"] is False and "refused the API key" in tested["message"]
    away = ArrServer.objects.create(
        kind="radarr", name="Away", base_url="http://127.0.0.1:9", api_key=API_KEY, allow_private_network=True
    )
    assert "did not answer" in admin_api.post(f"{URL}{away.pk}/test/").json()["message"]
    broken = admin_api.get(f"{URL}{away.pk}/options/")
    assert broken.status_code == 502 and broken.json()["code"] == "arr_unavailable"


def test_one_default_per_kind_and_4k_flag(admin_api, radarr):
    first = admin_api.post(
        URL, {"kind": "radarr", "name": "A", "base_url": radarr.url, "api_key": "k", "is_default": True, **OPT_IN}
    )
    second = admin_api.post(
        URL, {"kind": "radarr", "name": "B", "base_url": radarr.url, "api_key": "k", "is_default": True, **OPT_IN}
    )
    four_k = admin_api.post(
        URL,
        {
            "kind": "radarr",
            "name": "C",
            "base_url": radarr.url,
            "api_key": "k",
            "is_default": True,
            "is_4k": True,
            **OPT_IN,
        },
    )
    assert {first.status_code, second.status_code, four_k.status_code} == {201}
    defaults = set(ArrServer.objects.filter(is_default=True).values_list("name", flat=True))
    assert defaults == {"B", "C"}


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "lidarr", "name": "x", "base_url": "http://a", "api_key": "k"},
        {"kind": "radarr", "name": "x", "base_url": "ftp://a", "api_key": "k"},
        {"kind": "radarr", "name": "x", "base_url": "http://a", "api_key": "k", "tags": ["one"]},
        {"kind": "radarr", "name": "x", "base_url": "http://a"},
    ],
)
def test_broken_settings_are_400(admin_api, body):
    response = admin_api.post(URL, body, format="json")
    assert response.status_code == 400 and response.json()["errors"]


def test_the_admin_keeps_the_key_hidden_and_tests_the_connection(admin_client, radarr):
    server = ArrServer.objects.create(
        kind="radarr", name="R", base_url=radarr.url, api_key=API_KEY, allow_private_network=True
    )
    page = admin_client.get(f"/admin/requests/arrserver/{server.pk}/change/")
    assert page.status_code == 200 and API_KEY.encode() not in page.content
    admin_client.post(
        f"/admin/requests/arrserver/{server.pk}/change/",
        {
            "kind": "radarr",
            "name": "Renamed",
            "base_url": radarr.url,
            "api_key": "",
            "tags": "[]",
            "path_mappings": "[]",
            "enabled": "on",
            "allow_private_network": "on",
        },
    )
    server.refresh_from_db()
    assert (server.name, server.api_key) == ("Renamed", API_KEY), "an empty key field keeps the stored key"
    result = admin_client.post(
        "/admin/requests/arrserver/", {"action": "test_connection", "_selected_action": [server.pk]}, follow=True
    )
    assert b"connected to Radarr" in result.content


def test_path_mappings_are_pairs_of_absolute_paths(admin_api):
    base = {"kind": "radarr", "name": "M", "base_url": "http://radarr.invalid:7878", "api_key": "k"}
    good = [{"remote": "/movies", "local": "/srv/media/movies"}, {"remote": "D:\\Movies", "local": "/srv/m"}]
    created = admin_api.post(URL, {**base, "path_mappings": good}, format="json")
    assert created.status_code == 201 and created.json()["path_mappings"] == good
    for broken in (
        "/movies",
        [{"remote": "/movies"}],
        [{"remote": "movies", "local": "/m"}],
        [{"remote": "/a", "local": 5}],
    ):
        refused = admin_api.post(URL, {**base, "name": "N", "path_mappings": broken}, format="json")
        assert refused.status_code == 400 and "path_mappings" in refused.json()["errors"], broken


@pytest.mark.parametrize(
    ("base_url", "reason"),
    [
        ("http://127.0.0.1:7878", "127.0.0.1 is a loopback address"),
        ("http://[::1]:7878", "::1 is a loopback address"),
        ("http://10.0.0.5:7878", "10.0.0.5 is a private address"),
        ("http://172.16.3.4:7878", "is a private address"),
        ("http://192.168.1.10:8989", "is a private address"),
        ("http://169.254.169.254", "is a link-local address"),
        ("http://[fe80::1]:7878", "is a link-local address"),
        ("http://[fc00::5]:7878", "is a private address"),
        ("http://0.0.0.0:7878", "is an unspecified address"),
        ("http://224.0.0.1:7878", "is a multicast address"),
        ("http://100.64.0.1:7878", "is a shared (carrier-grade NAT) address"),
        ("http://[::ffff:127.0.0.1]:7878", "is a loopback address"),
        ("http://2130706433:7878", "Enter a valid URL"),  # odd IPv4 notations are not URLs here at all
        ("http://0x7f.1:7878", "Enter a valid URL"),
        ("http://localhost:7878", "127.0.0.1 (of localhost) is a loopback address"),
    ],
)
def test_a_server_on_the_own_network_needs_the_admin_opt_in(admin_api, base_url, reason):
    body = {"kind": "radarr", "name": "Inside", "base_url": base_url, "api_key": "k"}
    refused = admin_api.post(URL, body, format="json")
    assert refused.status_code == 400 and reason in str(refused.json()["errors"]["base_url"])
    if "unspecified" in reason or "multicast" in reason or "valid URL" in reason:
        return  # never a server, opted in or not
    assert admin_api.post(URL, {**body, **OPT_IN}, format="json").status_code == 201


def test_only_admins_give_the_opt_in_and_it_is_in_the_activity_log(admin_api, radarr):
    from django.contrib.auth.models import Permission

    from apps.audit.models import Activity

    keeper = users.user_create(username="keeper", password="x" * 12, by=None)
    keeper.user_permissions.add(*Permission.objects.filter(codename__endswith="_arrserver"))
    keeper = type(keeper).objects.get(pk=keeper.pk)
    keeper_api = APIClient()
    keeper_api.force_authenticate(keeper)
    body = {"kind": "radarr", "name": "R", "base_url": radarr.url, "api_key": API_KEY}
    refused = keeper_api.post(URL, {**body, **OPT_IN}, format="json")
    assert refused.status_code == 403 and "Only an admin" in refused.json()["detail"]
    assert keeper_api.post(URL, body, format="json").status_code == 400  # 127.0.0.1 without the opt-in

    server = admin_api.post(URL, {**body, **OPT_IN}, format="json").json()
    entry = Activity.objects.get(event="private_network_allowed")
    assert entry.actor.username == "boss" and entry.object_pk == str(server["id"])
    # Someone else who may edit servers can neither take the opt-in away nor aim the server elsewhere.
    detail = f"{URL}{server['id']}/"
    assert keeper_api.patch(detail, {"allow_private_network": False}, format="json").status_code == 403
    moved = keeper_api.patch(detail, {"base_url": "http://10.0.0.9:7878"}, format="json")
    assert moved.status_code == 403 and "change the address" in moved.json()["detail"]
    assert keeper_api.patch(detail, {"name": "Renamed"}, format="json").status_code == 200
    # Without the opt-in the address must be a public one.
    kept = admin_api.patch(detail, {"allow_private_network": False}, format="json")
    assert kept.status_code == 400 and "loopback" in str(kept.json()["errors"]["base_url"])
    away = {"allow_private_network": False, "base_url": "http://radarr.invalid:7878"}
    assert admin_api.patch(detail, away, format="json").status_code == 200
    assert Activity.objects.filter(event="private_network_disallowed", object_pk=str(server["id"])).count() == 1


def test_a_server_stored_without_the_opt_in_is_refused_before_connecting(admin_api, radarr):
    server = ArrServer.objects.create(kind="radarr", name="R", base_url=radarr.url, api_key=API_KEY)
    tested = admin_api.post(f"{URL}{server.pk}/test/").json()
    assert tested == {"ok": False, "message": f"radarr at {radarr.url}: address 127.0.0.1 is a loopback address"}
    assert radarr.received == []  # refused before connecting


def test_the_admin_page_shows_the_webhook_header_form_and_only_admins_opt_in(admin_client, client, radarr):
    server = ArrServer.objects.create(
        kind="radarr", name="R", base_url=radarr.url, api_key=API_KEY, allow_private_network=True
    )
    page = admin_client.get(f"/admin/requests/arrserver/{server.pk}/change/").content.decode()
    assert "X-Revenge-Token" in page and server.webhook_secret in page and "?token=" not in page
    assert 'name="allow_private_network"' in page


def test_a_requester_is_told_the_server_cannot_be_asked_but_not_where_it_is_or_why(radarr):
    ArrServer.objects.create(kind="radarr", name="Films", base_url=radarr.url, api_key=API_KEY, is_default=True)
    member = users.user_create(username="member", password="x" * 12, by=None)
    client = APIClient()
    client.force_authenticate(member)
    answer = client.get("/api/v1/requests/search/?kind=movie&q=heat")
    assert answer.status_code == 502 and answer.json()["code"] == "arr_unavailable"
    detail = answer.json()["detail"]
    assert "Films cannot be asked" in detail and "127.0.0.1" not in detail and "loopback" not in detail
    assert radarr.received == []


def test_servers_set_up_before_the_guard_keep_working_after_the_migration():
    import importlib

    from django.apps import apps

    server = ArrServer.objects.create(kind="radarr", name="Old", base_url="http://172.18.0.5:7878", api_key="k")
    migration = importlib.import_module("apps.requests.migrations.0004_private_network_and_encrypted_secrets")
    migration.servers_kept_reachable(apps, None)
    server.refresh_from_db()
    assert server.allow_private_network
