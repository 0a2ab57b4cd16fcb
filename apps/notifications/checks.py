"""System check: a broken REVENGE_SMTP_URL is reported at start, not at the first digest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from apps.core.checks import TAG
from apps.notifications.kinds import smtp_server_from_url


@checks.register(TAG)
def smtp_url_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    url = getattr(settings, "SMTP_URL", "")
    if not url:
        return []
    try:
        smtp_server_from_url(url)
    except ValueError as exc:
        return [checks.Error(f"REVENGE_SMTP_URL {exc}.", id="revenge.E030")]
    return []
