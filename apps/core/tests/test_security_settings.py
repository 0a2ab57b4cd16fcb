"""Production security settings: `check --deploy` is clean behind a TLS proxy, and the headers are sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SECRET = "a-production-secret-key-that-is-long-and-random-4821"


def run(args: list[str], **env_values: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REVENGE_")}
    env.update(REVENGE_SECRET_KEY=SECRET, REVENGE_DATA_DIR=env_values.pop("data_dir"), **env_values)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_behind_a_tls_proxy(tmp_path):
    checked = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        data_dir=str(tmp_path),
        REVENGE_BEHIND_TLS_PROXY="true",
    )
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_check_deploy_warns_without_tls(tmp_path):
    checked = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], data_dir=str(tmp_path))
    assert checked.returncode == 1
    assert "security.W004" in checked.stderr and "security.W012" in checked.stderr


SCRIPT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "revenge.settings")
django.setup()
from django.test import Client
c = Client()
secure = c.get("/admin/login/", headers={"X-Forwarded-Proto": "https"})
plain = c.get("/admin/login/")
print(json.dumps({
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "nosniff": secure.headers.get("X-Content-Type-Options"),
    "frame": secure.headers.get("X-Frame-Options"),
    "referrer": secure.headers.get("Referrer-Policy"),
    "coop": secure.headers.get("Cross-Origin-Opener-Policy"),
    "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
    "plain": [plain.status_code, plain.headers.get("Location")],
    "metrics": c.get("/metrics").status_code,
    "healthz": c.get("/healthz").status_code,
}))
"""


def test_headers_and_redirects_behind_a_tls_proxy(tmp_path):
    result = run(
        [sys.executable, "-c", SCRIPT],
        data_dir=str(tmp_path),
        REVENGE_BEHIND_TLS_PROXY="true",
        REVENGE_ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains"
    assert (seen["nosniff"], seen["frame"], seen["referrer"]) == ("nosniff", "DENY", "same-origin")
    assert seen["coop"] == "same-origin"
    assert seen["csrf_cookie_secure"] is True
    assert seen["plain"] == [301, "https://testserver/admin/login/"]
    assert seen["metrics"] == 200, "Prometheus scrapes over plain HTTP inside the cluster"
    assert seen["healthz"] == 200
