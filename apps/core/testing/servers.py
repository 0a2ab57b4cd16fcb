"""Real processes and ports for tests: a free port, a wait, and the web process (gunicorn) as operators run it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], timeout: float = 30, interval: float = 0.05) -> object:
    """Poll `predicate` until it holds or `timeout` seconds pass; the last answer is the result."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Server:
    """gunicorn with gunicorn.conf.py on a free port, its own data folder, and only the environment given."""

    def __init__(self, tmp_path: Path, **env_values: str) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REVENGE_", "DATABASE_URL", "REDIS_URL"))}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(
            REVENGE_DATA_DIR=str(tmp_path / "data"),
            REVENGE_PORT=str(self.port),
            REVENGE_BIND="127.0.0.1",
            REVENGE_WEB_WORKERS="1",
            PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        )
        env.update(env_values)
        self.env = env
        self.log = tmp_path / "gunicorn.log"
        self.process = subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log.read_text()}")
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
