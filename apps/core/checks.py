"""System checks that turn configuration problems into one clear line each at start."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core import checks

TAG = "revenge"


@checks.register(TAG)
def configuration_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = [
        checks.Error(problem.message, id=problem.id) for problem in getattr(settings, "REVENGE_CONFIG_PROBLEMS", [])
    ]
    if settings.DEBUG and not settings.EMBEDDED_DATABASE:
        messages.append(
            checks.Warning(
                "REVENGE_DEBUG is on with a server database: error pages will show internals to visitors.",
                id="revenge.W001",
            )
        )
    return messages


def exit_on_configuration_errors(process: str) -> None:
    """Used by gunicorn and Celery at start: print each configuration error on one line and exit 1."""
    errors = [m for m in checks.run_checks(tags=[TAG]) if m.is_serious()]
    if not errors:
        return
    for message in errors:
        print(f"revenge {process}: configuration error ({message.id}): {message.msg}", file=sys.stderr)
    raise SystemExit(1)
