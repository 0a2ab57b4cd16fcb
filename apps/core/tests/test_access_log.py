"""Credentials in query strings never reach the logs: gunicorn's access log and the app's own log lines."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from apps.core.access_log import RedactQueryFilter, redact_query
from apps.core.gunicorn_logging import RedactingLogger


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "POST /api/v1/webhooks/radarr/?token=s3cr3t HTTP/1.1",
            "POST /api/v1/webhooks/radarr/?token=[redacted] HTTP/1.1",
        ),
        ("token=abc&page=2", "token=[redacted]&page=2"),
        (
            "/x?page=1&apikey=K3Y&api_key=K3Y2;TOKEN=t",
            "/x?page=1&apikey=[redacted]&api_key=[redacted];TOKEN=[redacted]",
        ),
        ("/x?a=1&Api_Key=K3Y#frag", "/x?a=1&Api_Key=[redacted]#frag"),
        ("http://r.example/?next=%3Ftoken%3Dleak", "http://r.example/?next=%3Ftoken%3D[redacted]"),
        ("/x?mytoken=keep&tokens=keep", "/x?mytoken=keep&tokens=keep"),
        ("", ""),
    ],
)
def test_credential_values_are_redacted_and_nothing_else(line, expected):
    assert redact_query(line) == expected


def test_the_gunicorn_access_log_is_redacted(tmp_path):
    log_file = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log_file))
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s %(q)s "%(f)s"')
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/api/v1/webhooks/sonarr/?token=SECRET1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/api/v1/webhooks/sonarr/",
        "QUERY_STRING": "token=SECRET1",
        "REMOTE_ADDR": "192.0.2.5",
        "HTTP_REFERER": "http://x.example/?apikey=SECRET2",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=2)
    request = SimpleNamespace(headers=[("REFERER", "http://x.example/?apikey=SECRET2")])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert "/api/v1/webhooks/sonarr/?token=[redacted]" in line and "apikey=[redacted]" in line
    assert "SECRET1" not in line and "SECRET2" not in line


def test_app_log_lines_are_redacted_and_the_filter_is_configured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactQueryFilter())
    handler.handle(_record("GET %s failed", "http://radarr:7878/api/v3/movie?apikey=K3Y"))
    assert stream.getvalue().strip() == "GET http://radarr:7878/api/v3/movie?apikey=[redacted] failed"
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact", "context"]


def test_the_celery_workers_log_handlers_are_redacted_too():
    from celery import signals

    stream = io.StringIO()
    log = logging.getLogger("revenge.test.celery")
    handler = logging.StreamHandler(stream)
    log.addHandler(handler)
    try:
        signals.after_setup_logger.send(
            sender=None, logger=log, loglevel=logging.INFO, logfile=None, format="", colorize=False
        )
    finally:
        log.removeHandler(handler)
    handler.handle(_record("hook %s", "http://h/?token=T0K"))
    assert "T0K" not in stream.getvalue() and "token=[redacted]" in stream.getvalue()


def _record(message: str, *args) -> logging.LogRecord:
    return logging.LogRecord("revenge.test", logging.WARNING, __file__, 1, message, args, None)
