"""Credentials in query strings stay out of the logs: gunicorn's access log and every log line of the app.

Webhook secrets, API keys and stream tokens may arrive as `?token=`, `?apikey=` or `?api_key=` (clients that
cannot send headers); their values are replaced by "[redacted]" before a line is written.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
SECRET_QUERY = re.compile(
    r"(?i)((?:^|[?&;]|%3F|%26)(?:token|apikey|api_key|api-key|access_token|password)(?:=|%3D))[^&;#\s\"']*"
)


def redact_query(text: str) -> str:
    """`text` with the values of credential-carrying query parameters replaced."""
    return SECRET_QUERY.sub(lambda found: found.group(1) + REDACTED, text) if text else text


class RedactQueryFilter(logging.Filter):
    """A logging filter (settings.LOGGING) that redacts the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = redact_query(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
