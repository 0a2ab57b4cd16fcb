"""OpenTelemetry tracing, opt-in through the standard OTEL_* variables; with none set nothing of it is imported.

Each process configures itself after any fork (gunicorn post_fork, Celery worker_process_init, beat_init,
manage.py), so no process inherits an exporter thread its parent started.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

# Probes and scrapes arrive every few seconds and say nothing about a request's path through the app.
EXCLUDED_URLS = "healthz,readyz,startupz,metrics"
# Commands that run for days get no span of their own: their queries and HTTP calls are traced one by one.
UNTRACED_COMMANDS = frozenset({"runserver", "watch_libraries", "shell", "dbshell", "celery"})


@dataclass
class _Tracing:
    provider: Any
    tracer: Any
    instrumentors: list = field(default_factory=list)


_active: _Tracing | None = None


def tracing_wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """True when the environment asks for OTLP traces: an OTLP endpoint, or OTEL_TRACES_EXPORTER=otlp."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = [name.strip().lower() for name in environ.get("OTEL_TRACES_EXPORTER", "").split(",") if name.strip()]
    if exporters:
        return "otlp" in exporters
    return bool(environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def tracing_active() -> bool:
    return _active is not None


def tracing_configure(role: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Start exporting spans of this process (`role`: web, worker, beat, command) if the environment asks."""
    global _active
    if _active is not None or not tracing_wanted(environ):
        return _active is not None
    # Imported only now: a server without OTEL_* settings pays nothing for tracing at start-up.
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    attributes = {"revenge.process": role}
    if not environ.get("OTEL_SERVICE_NAME") and "service.name=" not in environ.get("OTEL_RESOURCE_ATTRIBUTES", ""):
        attributes["service.name"] = f"revenge-{role}"
    provider = TracerProvider(resource=Resource.create(attributes))  # sampler from OTEL_TRACES_SAMPLER
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))  # endpoint, headers from OTEL_EXPORTER_*
    trace.set_tracer_provider(provider)
    _active = _Tracing(provider=provider, tracer=trace.get_tracer("revenge", tracer_provider=provider))
    _active.instrumentors = _instrument(provider, environ)
    return True


def _instrument(provider, environ: Mapping[str, str]) -> list:
    # Imported only when tracing is on (see tracing_configure).
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    done = []
    for instrumentor, options in (
        (DjangoInstrumentor(), {"excluded_urls": environ.get("OTEL_PYTHON_DJANGO_EXCLUDED_URLS", EXCLUDED_URLS)}),
        (PsycopgInstrumentor(), {"skip_dep_check": True}),
        (RedisInstrumentor(), {}),
        (RequestsInstrumentor(), {}),  # Apprise's HTTP
        (CeleryInstrumentor(), {}),  # carries the trace from the publisher to the task in the message headers
    ):
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument(tracer_provider=provider, **options)
            done.append(instrumentor)
    return done


def tracing_shutdown() -> None:
    """Export what is buffered and stop tracing in this process (tests, and the end of a command)."""
    global _active
    if _active is None:
        return
    for instrumentor in _active.instrumentors:
        instrumentor.uninstrument()
    _active.provider.force_flush()
    _active.provider.shutdown()
    _active = None


def tracing_flush(timeout_ms: int = 5000) -> None:
    if _active is not None:
        _active.provider.force_flush(timeout_ms)


def current_ids() -> tuple[str, str]:
    """(trace id, span id) of the span in progress, as hex; empty strings when there is none."""
    if _active is None:
        return "", ""
    # Loaded already by tracing_configure; never imported while tracing is off.
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return "", ""
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def span(name: str, *, client: bool = False, attributes: dict[str, Any] | None = None):
    """A span around a block when tracing is on; a no-op block otherwise."""
    if _active is None:
        return nullcontext()
    return _span(name, client=client, attributes=attributes or {})


@contextmanager
def _span(name: str, *, client: bool, attributes: dict[str, Any]) -> Iterator[Any]:
    # Reached only while tracing is on, when OpenTelemetry is loaded anyway.
    from opentelemetry.trace import SpanKind

    kind = SpanKind.CLIENT if client else SpanKind.INTERNAL
    with _active.tracer.start_as_current_span(name, kind=kind, attributes=attributes) as current:
        yield current
