"""The throwaway PostgreSQL database the benchmarks run Django against."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DB = "revenge_bench"


def _admin_url(server_url: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/postgres"


def _drop_create(server_url: str, *, create: bool, keep: bool = False) -> None:
    import psycopg

    with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
        if keep:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
            if not exists and create:
                conn.execute(f"CREATE DATABASE {BENCH_DB}")
            return
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        if create:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


@contextmanager
def bench_database(*, keep: bool = False, **env_defaults: str) -> Iterator[None]:
    """Create `revenge_bench` on DATABASE_URL's server, set Django up and migrate it; drop it afterwards.

    keep: reuse the database a former run left (new migrations are applied to it) and leave it behind, so a
    bench whose seeding takes minutes can be run before and after a change on the same data.
    """
    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/revenge")
    _drop_create(server_url, create=True, keep=keep)
    os.environ["DATABASE_URL"] = server_url.rsplit("/", 1)[0] + "/" + BENCH_DB
    os.environ.setdefault("REVENGE_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")
    for name, value in env_defaults.items():
        os.environ.setdefault(name, value)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            _drop_create(server_url, create=False)
