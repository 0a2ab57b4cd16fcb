"""IP rules: blocklist, allowlist, staff only from listed networks; by the real client IP, IPv4 and IPv6."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.accounts.models import IPRule, Role, User
from apps.accounts.services import tokens, users

pytestmark = pytest.mark.django_db
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def test_no_rules_no_refusals(client):
    assert client.get("/api/v1/users/me/", **OUTSIDE).status_code == 401


def test_blocklist_refuses_listed_networks_even_with_a_forged_header(client):
    IPRule.objects.create(network="203.0.113.0/24", kind="block")
    refused = client.get("/api/v1/users/me/", HTTP_X_FORWARDED_FOR="198.51.100.1", **OUTSIDE)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Access from your network is not allowed.", "code": "ip_blocked"}
    assert client.get("/api/v1/users/me/", REMOTE_ADDR="198.51.100.1").status_code == 401
    assert client.get("/healthz", **OUTSIDE).status_code == 200  # probes are answered before the rules


def test_allowlist_and_ipv6(client):
    IPRule.objects.create(network="2001:db8::/32", kind="allow")
    assert client.get("/api/v1/users/me/", REMOTE_ADDR="2001:db8::5").status_code == 401
    assert client.get("/api/v1/users/me/", **OUTSIDE).status_code == 403


def test_staff_only_from_listed_networks(client):
    IPRule.objects.create(network="192.168.1.0/24", kind="staff_only")
    admin = users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    member = users.user_create(username="m", password="x" * 12, by=None)
    client.force_login(admin)
    assert client.get("/api/v1/users/me/", **OUTSIDE).status_code == 403
    assert client.get("/api/v1/users/me/", REMOTE_ADDR="192.168.1.20").status_code == 200
    assert client.get("/admin/login/", **OUTSIDE).status_code == 403
    client.force_login(member)
    assert client.get("/api/v1/users/me/", **OUTSIDE).status_code == 200


def test_rule_changes_apply_at_once_and_can_be_undone_from_the_shell(client):
    rule = IPRule.objects.create(network="203.0.113.7", kind="block")
    assert client.get("/api/v1/users/me/", **OUTSIDE).status_code == 403
    out = StringIO()
    call_command("disable_ip_rules", stdout=out)
    assert "1 IP rule(s) disabled" in out.getvalue()
    assert client.get("/api/v1/users/me/", **OUTSIDE).status_code == 401
    rule.refresh_from_db()
    assert rule.enabled is False


@pytest.mark.parametrize("network", ["10.0.0.0/33", "not-an-ip", "2001:db8::/129", ""])
def test_bad_networks_are_refused(network):
    with pytest.raises(ValidationError):
        IPRule(network=network, kind="block").full_clean()


def test_staff_only_applies_to_api_tokens(client):
    IPRule.objects.create(network="192.168.1.0/24", kind="staff_only")
    admin = users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    member = users.user_create(username="m", password="x" * 12, by=None)
    token, admin_key = tokens.api_token_create(user=admin, name="tv")
    _, member_key = tokens.api_token_create(user=member, name="tv")
    for keyword in ("Token", "Bearer"):
        refused = client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"{keyword} {admin_key}", **OUTSIDE)
        assert refused.status_code == 403
        assert refused.json() == {"detail": "Access from your network is not allowed.", "code": "ip_blocked"}
    token.refresh_from_db()
    assert token.last_used_at is None, "a refused request is not a use of the token"
    # A forged X-Forwarded-For from an untrusted socket changes nothing.
    forged = client.get(
        "/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {admin_key}", HTTP_X_FORWARDED_FOR="192.168.1.9", **OUTSIDE
    )
    assert forged.status_code == 403
    inside = client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {admin_key}", REMOTE_ADDR="192.168.1.9")
    assert inside.status_code == 200 and inside.json()["username"] == "boss"
    assert client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {member_key}", **OUTSIDE).status_code == 200
    # Writes are refused as well, before the view runs.
    created = client.post(
        "/api/v1/users/",
        {"username": "sneaky", "password": "y" * 14},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {admin_key}",
        **OUTSIDE,
    )
    assert created.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


def test_blocklist_refuses_api_tokens(client):
    IPRule.objects.create(network="203.0.113.0/24", kind="block")
    member = users.user_create(username="m", password="x" * 12, by=None)
    _, key = tokens.api_token_create(user=member, name="tv")
    assert client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {key}", **OUTSIDE).status_code == 403
    assert (
        client.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR="198.51.100.1").status_code
        == 200
    )
