"""Sending one message through one agent: our signed webhooks and Discord, SMTP mail, and Apprise for the rest."""

from __future__ import annotations

import logging

from apps.notifications.kinds import APPRISE_SCHEMES, ATTEMPT_TIMEOUT, Kind
from apps.notifications.messages import Message
from apps.notifications.models import NotificationAgent
from apps.notifications.senders import apprise_send, mail, web
from apps.notifications.senders.base import Envelope, SendResult

__all__ = ["Envelope", "SendResult", "send"]

logger = logging.getLogger(__name__)
ERROR_LIMIT = 1000


def send(
    agent: NotificationAgent, *, message: Message, envelope: Envelope, timeout: float = ATTEMPT_TIMEOUT
) -> SendResult:
    """One attempt; never raises: whatever goes wrong comes back as a failed result with its reason."""
    try:
        if agent.kind == Kind.WEBHOOK:
            result = web.webhook_send(agent, message=message, envelope=envelope, timeout=timeout)
        elif agent.kind == Kind.DISCORD:
            result = web.discord_send(agent, message=message, timeout=timeout)
        elif agent.kind == Kind.EMAIL:
            result = mail.email_send(agent, message=message, timeout=timeout)
        elif agent.kind in APPRISE_SCHEMES:
            result = apprise_send.apprise_send(agent, message=message, timeout=timeout)
        else:
            result = SendResult(ok=False, error=f"unknown kind {agent.kind!r}")
    except Exception as exc:  # a sender bug or a library's surprise is a failed attempt, not a lost delivery
        logger.warning("sending through agent %s failed unexpectedly", agent.pk, exc_info=True)
        result = SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")
    return SendResult(ok=result.ok, status_code=result.status_code, error=result.error[:ERROR_LIMIT])
