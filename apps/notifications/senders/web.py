"""HTTP senders of our own: the signed generic webhook, and Discord's documented webhook body."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import urllib.error
import urllib.request

from django.core.serializers.json import DjangoJSONEncoder

from apps.notifications.messages import Message
from apps.notifications.models import NotificationAgent
from apps.notifications.senders import Envelope, SendResult

USER_AGENT = "Revenge-Notifications/1"
RESPONSE_EXCERPT = 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A signed body goes where the operator said, or nowhere: redirects are failures."""

    def redirect_request(self, req, fp, code, msg, headers, newurl) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http_post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> SendResult:
    """POST `body`; 2xx is success, anything else (status, refusal, garbage, silence) a failure with its reason."""
    request = urllib.request.Request(  # noqa: S310 - the URL was checked to be http(s) when the agent was saved
        url, data=body, method="POST", headers={"User-Agent": USER_AGENT, **headers}
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(RESPONSE_EXCERPT)
            return SendResult(ok=True, status_code=response.status)
    except urllib.error.HTTPError as exc:
        excerpt = exc.read(RESPONSE_EXCERPT).decode("utf-8", "replace").strip() if exc.fp else ""
        return SendResult(ok=False, status_code=exc.code, error=f"HTTP {exc.code}: {excerpt or exc.reason}")
    except TimeoutError:
        return SendResult(ok=False, error=f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return SendResult(ok=False, error=f"no answer within {timeout:g} s")
        return SendResult(ok=False, error=f"could not connect: {reason}")
    except (http.client.HTTPException, OSError) as exc:
        return SendResult(ok=False, error=f"broken answer: {type(exc).__name__}: {exc}")


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
    return http_post(agent.url, body, headers, timeout=timeout)


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
    return http_post(agent.url, json.dumps(body).encode(), {"Content-Type": "application/json"}, timeout=timeout)
