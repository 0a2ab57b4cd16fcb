"""/metrics: loopback and REVENGE_METRICS_ALLOW read it; anyone else needs the REVENGE_METRICS_TOKEN bearer."""

from __future__ import annotations

import ipaddress

import pytest

from revenge import config

pytestmark = pytest.mark.django_db
TOKEN = "prometheus-scrape-token-0123456789"
INTERNET = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def allow(settings):
    def set_networks(*networks: str) -> None:
        settings.METRICS_ALLOW = [ipaddress.ip_network(n) for n in networks]

    return set_networks


def test_loopback_reads_metrics_and_the_internet_does_not(client):
    local = client.get("/metrics")
    assert local.status_code == 200 and b"revenge_" in local.content
    refused = client.get("/metrics", **INTERNET)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Metrics are not served to your address."
    assert b"revenge_" not in refused.content
    for probe in ("/healthz", "/readyz", "/startupz"):
        assert client.get(probe, **INTERNET).status_code == 200, probe


def test_a_proxy_on_loopback_does_not_make_its_clients_loopback(client):
    # The default trusted proxy (loopback) forwards an internet client: that client is judged.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    # A forged header from the internet itself changes nothing.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **INTERNET).status_code == 403


def test_allowed_networks(client, allow):
    allow("10.0.0.0/8", "2001:db8::/32")
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::9").status_code == 200
    assert client.get("/metrics").status_code == 403, "loopback is only allowed while listed"
    assert client.get("/metrics", **INTERNET).status_code == 403


def test_bearer_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    ok = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, **INTERNET)
    assert ok.status_code == 200 and b"revenge_" in ok.content
    missing = client.get("/metrics", **INTERNET)
    assert missing.status_code == 401 and missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
    for header in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Token {TOKEN}", "Bearer", "Bearer " + "é" * 40, TOKEN):
        response = client.get("/metrics", headers={"Authorization": header}, **INTERNET)
        assert response.status_code == 401, header
        assert b"revenge_" not in response.content
    # An allowed address needs no token; a wrong token from it is still refused.
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_metrics_token_is_validated():
    env = config.Env(environ={"REVENGE_METRICS_TOKEN": "short"})
    assert config.metrics_token(env) == ""
    assert [p.id for p in env.problems] == ["revenge.E040"]
    env = config.Env(environ={"REVENGE_METRICS_TOKEN": "has a space in it ok"})
    assert config.metrics_token(env) == "" and env.problems
    assert config.metrics_token(config.Env(environ={"REVENGE_METRICS_TOKEN": TOKEN})) == TOKEN


def test_bad_allow_entry_is_a_configuration_problem():
    env = config.Env(environ={"REVENGE_METRICS_ALLOW": "10.0.0.0/8,not-a-network"})
    assert config.networks(env, "REVENGE_METRICS_ALLOW", []) == [ipaddress.ip_network("10.0.0.0/8")]
    assert [p.id for p in env.problems] == ["revenge.E012"]
