"""Health probes served in-process; the failure modes with real processes are in test_server.py."""

import pytest
from django.test import override_settings

from apps.core import health

CLOSED_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def not_draining():
    yield
    health._draining.clear()


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_reports_each_check_with_latency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["latency_ms"], float)


@pytest.mark.django_db
def test_readyz_is_degraded_not_failed_when_redis_is_down(client):
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with override_settings(CACHES=caches, CELERY_BROKER_URL=CLOSED_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == ["cache", "broker"]
    assert body["checks"]["database"]["status"] == "ok"
    assert "Connection" in body["checks"]["cache"]["error"]


@pytest.mark.django_db
def test_startupz_is_ok_once_migrations_are_applied(client):
    assert client.get("/startupz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_fails_while_draining(client, not_draining):
    health.draining_start()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "draining"
    assert client.get("/healthz").status_code == 200


@override_settings(ALLOWED_HOSTS=["media.example"])
def test_probes_answer_any_host_header(client):
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/admin/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_probes_only_accept_get(client):
    assert client.post("/healthz").status_code == 405
