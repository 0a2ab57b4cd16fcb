"""200 wrong passwords from two separate web processes against one account: the tiers hold exactly."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.accounts.models import LoginLockout, Role
from apps.accounts.services import tokens, users
from apps.core.testing.servers import Server

RIGHT = "correct horse battery staple"
ATTACKER, OWNER = "198.51.100.66", "192.0.2.10"


def post(port: int, path: str, body: dict, *, ip: str, token: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "X-Forwarded-For": ip}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture
def two_web_processes(tmp_path, settings):
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "REVENGE_SECRET_KEY": settings.SECRET_KEY,
        # The per-IP rate limit would answer first; here the lockout alone is under test.
        "REVENGE_AUTH_RATE_LIMIT": "100000/min",
        "REVENGE_RATE_LIMIT": "100000/min",
    }
    servers = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        servers.append(Server(tmp_path / name, **env))
    for server in servers:
        server.wait_until_up()
    yield [server.port for server in servers]
    for server in servers:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_tiers_hold_exactly_across_two_web_processes(two_web_processes, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # what the servers verify
    alice = users.user_create(username="alice", password=RIGHT, by=None)
    admin = users.user_create(
        username="root", password="x" * 16, by=None, role=Role.objects.get(group__name=Role.ADMIN)
    )
    _, admin_token = tokens.api_token_create(user=admin, name="test")
    ports = two_web_processes
    wrong = {"username": "alice", "password": "wrong", "device_name": "tv"}

    def burst(count: int) -> list[tuple[int, dict]]:
        """`count` wrong passwords at once, alternating between the two processes."""
        with ThreadPoolExecutor(max_workers=6) as pool:
            jobs = [pool.submit(post, ports[i % 2], "/api/v1/auth/token/", wrong, ip=ATTACKER) for i in range(count)]
            return [job.result() for job in jobs]

    def expire_running_locks() -> None:
        LoginLockout.objects.filter(permanent=False).update(locked_until=timezone.now() - timedelta(seconds=1))

    def username_counter() -> LoginLockout:
        return LoginLockout.objects.get(scope="username", key="alice")

    def checked(results) -> int:
        """Answers that checked a password (401); every other one is the lockout's."""
        assert {status for status, _ in results} <= {401, 429, 403}, results
        assert all(body.get("code") == "locked_out" for status, body in results if status != 401)
        return sum(status == 401 for status, _ in results)

    first = burst(20)
    assert checked(first) == 4  # the fifth failure locks
    lock = username_counter()
    assert lock.failures == 5 and not lock.permanent
    assert timedelta(minutes=14) < lock.locked_until - timezone.now() <= timedelta(minutes=15)
    assert post(ports[1], "/api/v1/auth/token/", {**wrong, "password": RIGHT}, ip=OWNER)[0] == 429

    expire_running_locks()
    second = burst(20)
    assert checked(second) == 4
    lock = username_counter()
    assert lock.failures == 10
    assert timedelta(minutes=59) < lock.locked_until - timezone.now() <= timedelta(hours=1)

    expire_running_locks()
    third = burst(160)
    assert checked(third) == 9
    lock = username_counter()
    assert lock.failures == 20 and lock.permanent
    assert sum(status == 403 for status, _ in third) >= 150  # until unlocked: no Retry-After, 403
    expire_running_locks()
    assert post(ports[0], "/api/v1/auth/token/", {**wrong, "password": RIGHT}, ip=OWNER)[0] == 403

    status, body = post(ports[1], f"/api/v1/users/{alice.pk}/unlock/", {}, ip=OWNER, token=admin_token)
    assert (status, body["unlocked"]) == (200, True)
    status, body = post(ports[0], "/api/v1/auth/token/", {**wrong, "password": RIGHT}, ip=OWNER)
    assert status == 201 and body["token"].startswith("rvg_")
