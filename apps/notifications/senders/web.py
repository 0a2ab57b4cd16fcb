"""HTTP senders of our own: the signed generic webhook, and Discord's documented webhook body."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.core.serializers.json import DjangoJSONEncoder

from apps.core.outbound import OutboundError, outbound_request
from apps.notifications.kinds import may_reach_private
from apps.notifications.messages import Message
from apps.notifications.models import NotificationAgent
from apps.notifications.senders.base import Envelope, SendResult

USER_AGENT = "Revenge-Notifications/1"


def http_post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool) -> SendResult:
    """POST `body` through the outbound guard; 2xx is success. A failure says its status or what went wrong,
    never what the receiver answered (the target may be someone else's service)."""
    try:
        response = outbound_request(
            "POST",
            url,
            body=body,
            headers={"User-Agent": USER_AGENT, **headers},
            timeout=timeout,
            allow_private=allow_private,
            limit=0,
        )
    except OutboundError as exc:
        return SendResult(ok=False, status_code=getattr(exc, "status", None), error=str(exc))
    if 200 <= response.status < 300:
        return SendResult(ok=True, status_code=response.status)
    return SendResult(ok=False, status_code=response.status, error=f"HTTP {response.status}")


def signature(secret: str, body: bytes) -> str:
    """X-Revenge-Signature: "sha256=" and the hex HMAC-SHA256 of the exact body bytes with the agent's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(*, message: Message, envelope: Envelope) -> bytes:
    document = {
        "id": envelope.key,
        "event": envelope.event,
        "category": envelope.category,
        "occurred_at": envelope.occurred_at,
        "payload": envelope.payload,
        "message": message.as_dict(),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False).encode()


def webhook_send(agent: NotificationAgent, *, message: Message, envelope: Envelope, timeout: float) -> SendResult:
    body = webhook_body(message=message, envelope=envelope)
    headers = {
        "Content-Type": "application/json",
        "X-Revenge-Event": envelope.event,
        "X-Revenge-Delivery": envelope.key,
        "Idempotency-Key": envelope.key,
        "X-Revenge-Signature": signature(agent.secret, body),
    }
    return http_post(agent.url, body, headers, timeout=timeout, allow_private=may_reach_private(agent))


def _http_url(value: str) -> str:
    return value if value.startswith(("http://", "https://")) else ""


def discord_body(*, message: Message, username: str = "") -> dict:
    """Discord's execute-webhook JSON: content, username, one embed (title, description, url, thumbnail)."""
    embed: dict = {"title": message.title[:256], "description": message.body[:4096]}
    if _http_url(message.link):
        embed["url"] = message.link
    if _http_url(message.poster):
        embed["thumbnail"] = {"url": message.poster}
    return {"content": message.title[:2000], "username": (username or "Revenge")[:80], "embeds": [embed]}


def discord_send(agent: NotificationAgent, *, message: Message, timeout: float) -> SendResult:
    body = discord_body(message=message, username=agent.config.get("username", ""))
    headers = {"Content-Type": "application/json"}
    return http_post(
        agent.url, json.dumps(body).encode(), headers, timeout=timeout, allow_private=may_reach_private(agent)
    )
