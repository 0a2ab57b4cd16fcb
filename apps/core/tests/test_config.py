"""Settings parsing and the one-line configuration errors at start."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from revenge import config

ROOT = Path(__file__).resolve().parents[3]


def make_env(**values: str) -> config.Env:
    return config.Env(environ=values)


def test_booleans_integers_and_lists():
    env = make_env(A="yes", B="0", C="maybe", N="12", M="twelve", P="70000", L=" a, b ,,c ")
    assert env.bool("A") is True
    assert env.bool("B", True) is False
    assert env.bool("C", True) is True
    assert env.bool("MISSING") is False
    assert env.int("N", 1) == 12
    assert env.int("M", 5) == 5
    assert env.int("P", 8000, minimum=1, maximum=65535) == 8000
    assert env.list("L", []) == ["a", "b", "c"]
    assert [p.id for p in env.problems] == ["revenge.E010", "revenge.E011", "revenge.E011"]
    assert "C='maybe' is not a boolean" in env.problems[0].message


def test_embedded_database_by_default(tmp_path):
    db, embedded = config.database_config(make_env(), data_dir=tmp_path)
    assert embedded
    assert db["NAME"] == str(tmp_path / "revenge.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_uses_persistent_connections(tmp_path):
    env = make_env(DATABASE_URL="postgres://revenge:pw@db.example:5433/media")
    db, embedded = config.database_config(env, data_dir=tmp_path)
    assert not embedded
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example", 5433, "media", "revenge")
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True
    assert db["ENGINE"].endswith("postgresql")
    assert env.problems == []


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://u@h/db", "scheme 'mysql' is not supported"),
        ("not a url", "not a valid database URL"),
        ("postgres://u@h:5432/", "names no database"),
    ],
)
def test_bad_database_urls_are_reported(tmp_path, url, fragment):
    env = make_env(DATABASE_URL=url)
    _db, embedded = config.database_config(env, data_dir=tmp_path)
    assert embedded, "a bad URL falls back so that the check can report it"
    assert any(fragment in p.message and p.id == "revenge.E001" for p in env.problems), env.problems


def test_sqlite_url_stays_embedded(tmp_path):
    db, embedded = config.database_config(make_env(DATABASE_URL=f"sqlite:///{tmp_path}/x.db"), data_dir=tmp_path)
    assert embedded and db["NAME"] == f"{tmp_path}/x.db"


@pytest.mark.parametrize("url", ["http://localhost:6379", "redis://:notaport", "redis://localhost:99999"])
def test_bad_redis_urls_are_reported(url):
    env = make_env(REDIS_URL=url)
    assert config.redis_url(env) == ""
    assert env.problems[0].id == "revenge.E002"


def test_good_redis_url():
    assert config.redis_url(make_env(REDIS_URL="redis://cache:6379/2")) == "redis://cache:6379/2"


def test_time_zone():
    assert config.time_zone(make_env(REVENGE_TIME_ZONE="Europe/Berlin")) == "Europe/Berlin"
    env = make_env(REVENGE_TIME_ZONE="Mars/Olympus")
    assert config.time_zone(env) == "UTC"
    assert env.problems[0].id == "revenge.E004"


def test_floats():
    assert make_env(X="2.5").float("X", 1.0, minimum=0) == 2.5
    assert make_env().float("X", 1.0) == 1.0
    for raw in ("soon", "nan", "-1"):
        env = make_env(X=raw)
        assert env.float("X", 2.0, minimum=0) == 2.0
        assert env.problems[0].id == "revenge.E011"


def test_lockout_parameters():
    assert config.lockout_parameters(make_env()) == ["username", "ip_address"]
    assert config.lockout_parameters(make_env(REVENGE_LOCKOUT_BY="username+ip")) == [["username", "ip_address"]]
    env = make_env(REVENGE_LOCKOUT_BY="nothing")
    assert config.lockout_parameters(env) == ["username", "ip_address"], "a bad value never turns the lockout off"
    assert env.problems[0].id == "revenge.E013"


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = config.secret_key(make_env(), data_dir=tmp_path / "data", embedded=True)
    second = config.secret_key(make_env(), data_dir=tmp_path / "data", embedded=True)
    assert first == second and len(first) >= 50
    assert stat.S_IMODE((tmp_path / "data" / "secret_key").stat().st_mode) == 0o600


def test_secret_key_is_required_in_production(tmp_path):
    env = make_env()
    config.secret_key(env, data_dir=tmp_path, embedded=False)
    assert env.problems[0].id == "revenge.E003"
    assert not (tmp_path / "secret_key").exists()
    short = make_env(REVENGE_SECRET_KEY="short")
    assert config.secret_key(short, data_dir=tmp_path, embedded=False) == "short"
    assert "shorter than 32" in short.problems[0].message


def run_manage(tmp_path: Path, *args: str, **env_values: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REVENGE_", "DATABASE_URL", "REDIS_URL"))}
    env.update(REVENGE_DATA_DIR=str(tmp_path), **env_values)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env_values", "expected"),
    [
        ({"DATABASE_URL": "mysql://x@y/z"}, "(revenge.E001) DATABASE_URL scheme 'mysql' is not supported"),
        ({"REDIS_URL": "http://nope"}, "(revenge.E002) REDIS_URL 'http://nope' is not a redis://host:port/db URL"),
        ({"DATABASE_URL": "postgres://u@127.0.0.1:1/db"}, "(revenge.E003) REVENGE_SECRET_KEY is required"),
        ({"REVENGE_PORT": "eighty"}, "(revenge.E011) REVENGE_PORT='eighty' is not a whole number"),
        ({"REVENGE_TIME_ZONE": "Nowhere/City"}, "(revenge.E004) REVENGE_TIME_ZONE='Nowhere/City'"),
        ({"REVENGE_TRUSTED_PROXIES": "10.0.0.0/33"}, "(revenge.E012) REVENGE_TRUSTED_PROXIES: '10.0.0.0/33'"),
        ({"REVENGE_LOCKOUT_BY": "username,mac"}, "(revenge.E013) REVENGE_LOCKOUT_BY: 'mac' is not one of"),
    ],
)
def test_misconfiguration_fails_at_start_with_one_clear_line(tmp_path, env_values, expected):
    result = run_manage(tmp_path, "check", **env_values)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_good_configuration_passes_the_checks(tmp_path):
    result = run_manage(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from django.core.management import call_command

    # Exits non-zero when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_former_secret_keys_are_a_list_of_long_keys():
    good = "a" * 40 + "," + "b" * 32
    assert config.secret_key_fallbacks(make_env(REVENGE_SECRET_KEY_FALLBACKS=good)) == ["a" * 40, "b" * 32]
    assert config.secret_key_fallbacks(make_env()) == []
    short = make_env(REVENGE_SECRET_KEY_FALLBACKS="a" * 40 + ",tiny")
    config.secret_key_fallbacks(short)
    assert short.problems[0].id == "revenge.E003" and "FALLBACKS" in short.problems[0].message


def test_outbound_allowed_networks_are_cidrs():
    env = make_env(REVENGE_OUTBOUND_ALLOWED_NETWORKS="192.168.1.10/32, fd00::/8, nonsense")
    found = config.networks(env, "REVENGE_OUTBOUND_ALLOWED_NETWORKS", [])
    assert [str(n) for n in found] == ["192.168.1.10/32", "fd00::/8"] and env.problems[0].id == "revenge.E012"
