"""The server's own files are private: the SQLite database (and its -wal/-shm), the secret key, the embedded
broker's folders and the transcode folder are created 0600/0700, and older, looser ones are tightened."""

from __future__ import annotations

import os
import sqlite3
import stat
from types import SimpleNamespace

import pytest

from apps.core.testing.media import make_clip
from apps.playback.hls.writer import HlsPlan, hls_write
from revenge import celery, config


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask():
    """The usual umask, which alone would leave every file readable by everyone on the machine."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_embedded_database_and_its_wal_and_shm_are_private(tmp_path):
    name = tmp_path / "data" / "revenge.sqlite3"
    config.private_database({"ENGINE": "django_prometheus.db.backends.sqlite3", "NAME": str(name)})
    with sqlite3.connect(name) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
        assert os.path.exists(f"{name}-wal") and os.path.exists(f"{name}-shm")
        assert {mode(name), mode(f"{name}-wal"), mode(f"{name}-shm")} == {0o600}
    assert mode(tmp_path / "data") == 0o700


def test_an_old_world_readable_database_and_secret_key_are_tightened(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("revenge.sqlite3", "revenge.sqlite3-wal", "secret_key"):
        (data / name).write_text("x" * 60)
        os.chmod(data / name, 0o644)
    config.private_database({"ENGINE": "django.db.backends.sqlite3", "NAME": str(data / "revenge.sqlite3")})
    assert config.secret_key(config.Env(environ={}), data_dir=data, embedded=True) == "x" * 60
    assert {mode(data / n) for n in ("revenge.sqlite3", "revenge.sqlite3-wal", "secret_key")} == {0o600}


def test_a_server_database_creates_no_file(tmp_path):
    config.private_database({"ENGINE": "django_prometheus.db.backends.postgresql", "NAME": str(tmp_path / "db")})
    assert not (tmp_path / "db").exists()


def test_a_new_secret_key_and_its_data_folder_are_private(tmp_path):
    config.secret_key(config.Env(environ={}), data_dir=tmp_path / "a" / "data", embedded=True)
    assert mode(tmp_path / "a" / "data" / "secret_key") == 0o600
    assert mode(tmp_path / "a" / "data") == 0o700 and mode(tmp_path / "a") == 0o700


def test_the_embedded_broker_folders_are_private(tmp_path):
    conf = SimpleNamespace(
        broker_url="filesystem://localhost//",
        broker_transport_options={
            "data_folder_in": str(tmp_path / "celery" / "queue"),
            "data_folder_out": str(tmp_path / "celery" / "queue"),
            "control_folder": str(tmp_path / "celery" / "control"),
        },
        result_backend=f"file://{tmp_path / 'celery' / 'results'}",
    )
    celery.create_embedded_broker_dirs(SimpleNamespace(conf=conf))
    assert {mode(tmp_path / "celery" / name) for name in ("", "queue", "control", "results")} == {0o700}


def test_the_transcode_folder_is_private(tmp_path):
    source = make_clip(tmp_path / "src.mkv", seconds=1)
    out = tmp_path / "transcode" / "session" / "360p"
    hls_write(source=source, out_dir=out, plan=HlsPlan(transcode_video=False, transcode_audio=False))
    assert {mode(out), mode(out.parent), mode(out.parent.parent)} == {0o700}
