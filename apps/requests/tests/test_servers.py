"""Radarr/Sonarr servers in the API and the admin: write-only keys, test connection, profiles and folders."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.requests.models import ArrServer
from apps.requests.tests.fake_arr import API_KEY, FakeArr

pytestmark = pytest.mark.django_db
URL = "/api/v1/requests/servers/"


@pytest.fixture
def radarr():
    fake = FakeArr("radarr")
    yield fake
    fake.close()


@pytest.fixture
def admin_api():
    boss = accounts.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    client = APIClient()
    client.force_authenticate(boss)
    return client


def test_a_server_is_added_tested_and_its_options_listed(admin_api, radarr):
    created = admin_api.post(
        URL, {"kind": "radarr", "name": "Radarr", "base_url": radarr.url + "/", "api_key": API_KEY, "is_default": True}
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
    server = ArrServer.objects.create(kind="radarr", name="R", base_url=radarr.url, api_key="wrong")
    tested = admin_api.post(f"{URL}{server.pk}/test/").json()
    assert tested["ok"] is False and "refused the API key" in tested["message"]
    away = ArrServer.objects.create(kind="radarr", name="Away", base_url="http://127.0.0.1:9", api_key=API_KEY)
    assert "did not answer" in admin_api.post(f"{URL}{away.pk}/test/").json()["message"]
    broken = admin_api.get(f"{URL}{away.pk}/options/")
    assert broken.status_code == 502 and broken.json()["code"] == "arr_unavailable"


def test_one_default_per_kind_and_4k_flag(admin_api, radarr):
    first = admin_api.post(
        URL, {"kind": "radarr", "name": "A", "base_url": radarr.url, "api_key": "k", "is_default": True}
    )
    second = admin_api.post(
        URL, {"kind": "radarr", "name": "B", "base_url": radarr.url, "api_key": "k", "is_default": True}
    )
    four_k = admin_api.post(
        URL, {"kind": "radarr", "name": "C", "base_url": radarr.url, "api_key": "k", "is_default": True, "is_4k": True}
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
    server = ArrServer.objects.create(kind="radarr", name="R", base_url=radarr.url, api_key=API_KEY)
    page = admin_client.get(f"/admin/requests/arrserver/{server.pk}/change/")
    assert page.status_code == 200 and API_KEY.encode() not in page.content
    admin_client.post(
        f"/admin/requests/arrserver/{server.pk}/change/",
        {"kind": "radarr", "name": "Renamed", "base_url": radarr.url, "api_key": "", "tags": "[]", "enabled": "on"},
    )
    server.refresh_from_db()
    assert (server.name, server.api_key) == ("Renamed", API_KEY), "an empty key field keeps the stored key"
    result = admin_client.post(
        "/admin/requests/arrserver/", {"action": "test_connection", "_selected_action": [server.pk]}, follow=True
    )
    assert b"connected to Radarr" in result.content


def test_path_mappings_are_pairs_of_absolute_paths(admin_api):
    base = {"kind": "radarr", "name": "M", "base_url": "http://127.0.0.1:9", "api_key": "k"}
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
