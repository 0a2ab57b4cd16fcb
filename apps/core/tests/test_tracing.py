"""Tracing, opt-in by OTEL_*: a request and the task it queued form one trace in a real OTLP receiver, the
request's X-Request-ID is the trace id, and log lines of both carry it."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from celery import shared_task
from django.db import connections

from apps.accounts.models import Role
from apps.core import logcontext, tracing
from apps.core.testing.clients import client_for
from apps.core.testing.otlp import OtlpReceiver
from apps.core.testing.people import user_make
from apps.libraries import services as libraries
from revenge.celery import app as celery_app

SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5  # OTLP span kinds


@pytest.fixture
def collector(monkeypatch):
    """A receiver, and this process tracing to it as the web process would (before any worker starts)."""
    receiver = OtlpReceiver()
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url)
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
    assert tracing.tracing_configure("web")
    yield receiver
    tracing.tracing_shutdown()
    receiver.close()


@pytest.fixture
def json_lines(redis_worker, caplog):
    """What the app and the worker log while the test runs, formatted as with REVENGE_LOG_FORMAT=json."""
    # After the worker started: its start configures logging anew (root handlers, and ERROR for the loggers).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.INFO, logger="celery")
    caplog.set_level(logging.INFO, logger="celery.app.trace")
    for task in celery_app.tasks.values():
        task.__trace__ = None  # Celery decides once per task whether to log its end, at the level of that moment
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logcontext.ContextFilter())
    handler.setFormatter(logcontext.formatter("json"))
    logging.getLogger().addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


@pytest.mark.parametrize(
    ("environ", "wanted"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
    ],
)
def test_tracing_is_on_only_when_the_otel_variables_ask(environ, wanted):
    assert tracing.tracing_wanted(environ) is wanted


def test_without_otel_variables_a_command_loads_no_tracing(tmp_path):
    # redis-py loads OpenTelemetry's metrics SDK by itself when it is installed; tracing, its instrumentations
    # and exporter, and the JSON log formatter are ours to load, and stay out.
    ours = ("opentelemetry.sdk.trace", "opentelemetry.instrumentation", "opentelemetry.exporter", "pythonjsonlogger")
    code = (
        "import sys, runpy; sys.argv = ['manage.py', 'check']; runpy.run_path('manage.py', run_name='__main__'); "
        f"loaded = sorted(m for m in sys.modules if m.startswith({ours!r})); "
        "print('LOADED', loaded)"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, check=True)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


def test_a_request_and_the_task_it_queued_are_one_trace(collector, json_lines, tmp_path, place):
    connections.close_all()  # new connections are the traced ones
    boss = user_make("boss", role=Role.ADMIN)
    place(tmp_path / "movies", "Heat (1995)/Heat (1995).mkv")
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])

    response = client_for(boss).post(f"/api/v1/libraries/{library.pk}/scan/", {}, format="json")

    assert response.status_code in (201, 202), response.content
    trace_id = response["X-Request-ID"]
    assert len(trace_id) == 32 and int(trace_id, 16)

    def task_ran(spans):
        return any(s.name == "run/libraries.scan_run" and s.trace_id == trace_id for s in spans)

    spans = collector.wait_for(task_ran)
    tracing.tracing_flush()
    spans = [s for s in collector.spans() if s.trace_id == trace_id]
    server = next(s for s in spans if s.kind == SERVER)
    assert server.service == "revenge-web" and "scan" in server.name
    publish = next(s for s in spans if s.name == "apply_async/libraries.scan_run")
    run = next(s for s in spans if s.name == "run/libraries.scan_run")
    assert publish.kind == PRODUCER and run.kind == CONSUMER
    assert run.parent_id == publish.span_id  # the trace crossed Redis in the message headers
    assert any(s.kind == CLIENT and s.attributes.get("db.system") == "postgresql" for s in spans)
    assert any(s.kind == CLIENT and s.attributes.get("db.system") == "redis" for s in spans)

    ran = [
        line
        for line in json_lines()
        if line["message"].startswith("Task libraries.scan_run[") and "succeeded" in line["message"]
    ]
    assert ran, json_lines()
    assert ran[0]["trace_id"] == ran[0]["request_id"] == trace_id


def test_without_tracing_a_request_id_is_made_or_taken_from_the_proxy(client, db):
    made = client.get("/api/v1/")["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/api/v1/")["X-Request-ID"]
    assert client.get("/api/v1/", headers={"X-Request-ID": "nginx-4f9a8c7d"})["X-Request-ID"] == "nginx-4f9a8c7d"
    assert client.get("/api/v1/", headers={"X-Request-ID": "no spaces; please"})["X-Request-ID"] != "no spaces; please"


@shared_task(name="core.tests.say")
def say(words: str) -> None:
    logging.getLogger("apps.core.tests").warning(words)


def test_a_task_logs_with_the_id_of_the_request_that_queued_it(json_lines):
    logcontext.request_id_var.set("req-0123456789")
    try:
        say.delay("inside the task").get(timeout=20)
    finally:
        logcontext.request_id_var.set("")
    said = [line for line in json_lines() if line["message"] == "inside the task"]
    assert [line["request_id"] for line in said] == ["req-0123456789"]
