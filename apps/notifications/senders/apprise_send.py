"""Gotify, ntfy, Telegram and any other Apprise URL: Apprise sends, and its log says why it failed."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from apps.notifications.messages import Message
from apps.notifications.models import NotificationAgent
from apps.notifications.senders import SendResult

STATUS = re.compile(r"error=(\d{3})\b")


class _ThreadWarnings(logging.Handler):
    """Apprise reports failures only in its log: keep this thread's warnings, not another task's."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage())


@contextmanager
def _apprise_warnings() -> Iterator[_ThreadWarnings]:
    log = logging.getLogger("apprise")
    handler = _ThreadWarnings()
    log.addHandler(handler)
    try:
        yield handler
    finally:
        log.removeHandler(handler)


def apprise_send(agent: NotificationAgent, *, message: Message, timeout: float) -> SendResult:
    import apprise

    asset = apprise.AppriseAsset(app_id="Revenge", app_desc="Revenge media server")
    plugin = apprise.Apprise.instantiate(agent.url, asset=asset)
    if plugin is None:
        return SendResult(ok=False, error="Apprise does not understand the agent's URL")
    plugin.socket_connect_timeout = plugin.socket_read_timeout = timeout
    body = message.body + (f"\n{message.link}" if message.link else "")
    with _apprise_warnings() as warnings:
        ok = plugin.notify(body=body or message.title, title=message.title)
    if ok:
        return SendResult(ok=True)
    reason = "; ".join(warnings.lines) or "Apprise reported a failure without a reason"
    found = STATUS.search(reason)
    return SendResult(ok=False, status_code=int(found.group(1)) if found else None, error=reason)
