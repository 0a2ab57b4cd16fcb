"""Readiness checks of the database, the cache and the broker, and the web process's draining flag."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from kombu import Connection

_draining = threading.Event()
_migrated = False


@dataclass
class CheckResult:
    ok: bool
    latency_ms: float
    error: str = ""

    def as_dict(self) -> dict:
        data: dict = {"status": "ok" if self.ok else "error", "latency_ms": round(self.latency_ms, 2)}
        if self.error:
            data["error"] = self.error
        return data


def _timed(probe: Callable[[], None]) -> CheckResult:
    start = time.perf_counter()
    try:
        probe()
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:300]
        return CheckResult(False, (time.perf_counter() - start) * 1000, message)
    return CheckResult(True, (time.perf_counter() - start) * 1000)


def database_check() -> CheckResult:
    def probe() -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return _timed(probe)


def cache_check() -> CheckResult:
    def probe() -> None:
        key, token = "health:probe", uuid.uuid4().hex
        cache.set(key, token, timeout=30)
        if cache.get(key) != token:
            raise RuntimeError("value written to the cache did not read back")

    return _timed(probe)


def broker_check() -> CheckResult:
    def probe() -> None:
        options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}))
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)

    return _timed(probe)


def readiness() -> tuple[int, dict]:
    """(HTTP status, body): the database is required; a failing cache or broker only degrades."""
    if _draining.is_set():
        return 503, {"status": "draining", "checks": {}}
    results = {"database": database_check(), "cache": cache_check(), "broker": broker_check()}
    body: dict = {"checks": {name: result.as_dict() for name, result in results.items()}}
    failing = [name for name, result in results.items() if not result.ok]
    if "database" in failing:
        body.update(status="error", failing=failing)
        return 503, body
    if failing:
        body.update(status="degraded", failing=failing)
        return 200, body
    body["status"] = "ok"
    return 200, body


def migrations_applied() -> bool:
    """True once every migration is applied; remembered, since it cannot become false again."""
    global _migrated
    if not _migrated:
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def draining_start() -> None:
    """Called on SIGTERM: readiness fails so load balancers stop sending traffic while requests finish."""
    _draining.set()


def is_draining() -> bool:
    return _draining.is_set()
