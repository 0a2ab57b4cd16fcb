"""Gotify, ntfy, Telegram and any other Apprise URL: Apprise sends, and its log says why it failed.

Apprise does its own HTTP, so the outbound guard sits in name resolution for the duration of the send: every
host it looks up is checked, and answered with the same checked addresses for the whole send.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from apps.core.outbound import outbound_guarded
from apps.notifications.kinds import admin_only_problem, may_reach_private
from apps.notifications.messages import Message
from apps.notifications.models import NotificationAgent
from apps.notifications.senders.base import SendResult

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
    import apprise  # lazy: Apprise takes ~0.3 s to import; only Apprise agents need it

    # Saved by an admin, it may be used; a channel whose owner is no longer an admin may not.
    problem = admin_only_problem(agent.url, admin=True, owner=agent.owner if agent.owner_id else None)
    if problem:
        return SendResult(ok=False, error=problem)
    asset = apprise.AppriseAsset(app_id="Revenge", app_desc="Revenge media server")
    plugin = apprise.Apprise.instantiate(agent.url, asset=asset)
    if plugin is None:
        return SendResult(ok=False, error="Apprise does not understand the agent's URL")
    plugin.socket_connect_timeout = plugin.socket_read_timeout = timeout
    body = message.body + (f"\n{message.link}" if message.link else "")
    with _apprise_warnings() as warnings, outbound_guarded(allow_private=may_reach_private(agent)) as guard:
        ok = plugin.notify(body=body or message.title, title=message.title)
    if ok:
        return SendResult(ok=True)
    if guard.refused:
        return SendResult(ok=False, error=guard.refused)
    reason = "; ".join(warnings.lines) or "Apprise reported a failure without a reason"
    found = STATUS.search(reason)
    if found:  # the status only: what the receiver said stays out of the log and the API
        status = int(found.group(1))
        moved = ": redirects are not followed" if 300 <= status < 400 else ""
        return SendResult(ok=False, status_code=status, error=f"HTTP {status}{moved}")
    return SendResult(ok=False, error=reason)
