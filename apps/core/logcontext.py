"""What every log line says about where it comes from: the request id, and the trace and span ids when tracing.

The id lives in a context variable: set by RequestIdMiddleware for a request, and in a worker for the task,
which inherits the id of the request that queued it (a message header, below).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from apps.core import tracing

HEADER = "X-Request-ID"
TASK_HEADER = "revenge_request_id"
# What we accept from a proxy that set the id first (nginx $request_id, Heroku): short, printable, no spaces.
VALID = re.compile(r"^[A-Za-z0-9._:@/+=-]{8,128}$")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("revenge_request_id", default="")


def request_id_new(incoming: str = "") -> str:
    """The trace id when tracing, else the id a proxy sent when it looks like one, else a fresh one."""
    trace_id, _ = tracing.current_ids()
    if trace_id:
        return trace_id
    if incoming and VALID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def request_id_current() -> str:
    return request_id_var.get()


class ContextFilter(logging.Filter):
    """Adds `request_id`, `trace_id` and `span_id` to every record (empty when there are none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        trace_id, span_id = tracing.current_ids()
        record.request_id = request_id_var.get() or "-"
        record.trace_id = trace_id
        record.span_id = span_id
        return True


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(trace_id)s %(span_id)s"
JSON_RENAMES = {"asctime": "time", "levelname": "level", "name": "logger"}


def json_formatter() -> logging.Formatter:
    """One JSON object a line (python-json-logger), the fields of ContextFilter included."""
    # Loaded only when REVENGE_LOG_FORMAT=json asks for it.
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMES, timestamp=False)


def formatter(log_format: str) -> logging.Formatter:
    return json_formatter() if log_format == "json" else logging.Formatter(PLAIN_FORMAT)
