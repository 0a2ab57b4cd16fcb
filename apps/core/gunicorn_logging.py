"""gunicorn's logger with the access log redacted (gunicorn.conf.py `logger_class`).

A module of its own, not in access_log: that one is loaded by every process's logging set-up, and importing
gunicorn there cost management commands and workers a tenth of a second at start-up for a class only gunicorn uses.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from apps.core.access_log import redact_query


class RedactingLogger(Logger):
    """gunicorn's logger whose access-log atoms never carry a credential."""

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        return {key: redact_query(value) if isinstance(value, str) else value for key, value in found.items()}
