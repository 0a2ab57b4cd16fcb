"""The web process as operators run it: gunicorn with gunicorn.conf.py, against real and missing services."""

import json
import signal
import subprocess
import sys
import time

import pytest

from apps.core.testing.servers import ROOT, Server, get


@pytest.fixture
def server(tmp_path):
    started: list[Server] = []

    def start(**env_values: str) -> Server:
        instance = Server(tmp_path, **env_values)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()


def test_database_down_makes_readyz_fail_with_the_check_named(server):
    web = server(DATABASE_URL="postgres://postgres@127.0.0.1:1/revenge", REVENGE_SECRET_KEY="k" * 40)
    web.wait_until_up()
    status, body = get(web.port, "/readyz")
    assert status == 503
    data = json.loads(body)
    assert data["status"] == "error"
    assert "database" in data["failing"]
    assert data["checks"]["database"]["status"] == "error"
    assert get(web.port, "/healthz")[0] == 200
    assert get(web.port, "/startupz")[0] == 503


def test_redis_down_is_degraded(server):
    web = server(REDIS_URL="redis://127.0.0.1:1/0")
    web.wait_until_up()
    status, body = get(web.port, "/readyz")
    data = json.loads(body)
    assert status == 200
    assert data["status"] == "degraded"
    assert data["failing"] == ["cache", "broker"]


def test_startupz_waits_for_migrations(server):
    web = server()
    web.wait_until_up()
    status, body = get(web.port, "/startupz")
    assert status == 503
    assert "migrations" in body
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=web.env, capture_output=True, timeout=120
    )
    assert migrate.returncode == 0, migrate.stderr
    assert get(web.port, "/startupz") == (200, '{"status": "ok"}')


def test_sigterm_drains_readiness_before_stopping(server):
    web = server(REVENGE_SHUTDOWN_DRAIN_SECONDS="3")
    web.wait_until_up()
    assert get(web.port, "/readyz")[0] == 200
    web.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    status, body = get(web.port, "/readyz")
    assert (status, json.loads(body)["status"]) == (503, "draining")
    assert get(web.port, "/healthz")[0] == 200
    assert web.process.wait(20) == 0


def test_metrics_are_served_from_all_workers(server):
    web = server(REVENGE_WEB_WORKERS="2")
    web.wait_until_up()
    for _ in range(10):
        assert get(web.port, "/admin/login/")[0] == 200
    status, text = get(web.port, "/metrics")
    assert status == 200
    served = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("django_http_responses_total_by_status_view_method_total") and 'view="admin:login"' in line
    ]
    # Each of the two workers answered some of the requests; /metrics sums all of them.
    assert sum(served) == 10
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text


def test_bad_configuration_stops_the_web_process_with_one_line(server):
    web = server(DATABASE_URL="oracle://scott@db/tiger")
    assert web.process.wait(30) == 1
    log = web.log.read_text()
    assert "revenge web: configuration error (revenge.E001): DATABASE_URL scheme 'oracle' is not supported" in log
    assert "Traceback" not in log


def test_a_kept_alive_connection_is_closed_after_its_share_of_requests(server):
    import http.client

    web = server(REVENGE_WEB_KEEPALIVE_REQUESTS="3")
    web.wait_until_up()
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
    answers = []
    for _ in range(3):
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        answers.append((response.status, response.getheader("Connection")))
    # The third answer says so and the socket is closed: the client's next connection may go to another worker.
    assert answers == [(200, "keep-alive"), (200, "keep-alive"), (200, "close")]
    assert connection.sock is None
    connection.request("GET", "/healthz")  # http.client reconnects
    assert connection.getresponse().status == 200
    connection.close()


@pytest.mark.parametrize(("value", "expected"), [("", 20), ("abc", 20), ("0", 1), ("-5", 1), ("7", 7), ("1e3", 20)])
def test_the_requests_per_connection_setting_survives_bad_values(monkeypatch, value, expected):
    from apps.core import web_worker

    monkeypatch.setenv("REVENGE_WEB_KEEPALIVE_REQUESTS", value)
    assert web_worker._requests_per_connection() == expected
