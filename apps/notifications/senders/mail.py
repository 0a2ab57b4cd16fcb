"""Email through Django's SMTP backend, built from the agent's server (or REVENGE_SMTP_URL for personal channels)."""

from __future__ import annotations

import smtplib
from contextlib import nullcontext

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

from apps.core.outbound import outbound_guarded
from apps.notifications.kinds import SmtpServer, may_reach_private, site_smtp_server
from apps.notifications.messages import Message
from apps.notifications.models import NotificationAgent
from apps.notifications.senders.base import SendResult


def _server_and_recipients(agent: NotificationAgent) -> tuple[SmtpServer | None, list[str]]:
    if agent.owner_id:
        return site_smtp_server(), [agent.owner.email] if agent.owner.email else []
    config = agent.config
    server = SmtpServer(
        host=config.get("host", ""),
        port=int(config.get("port") or 25),
        username=config.get("username", ""),
        password=agent.secret,
        use_tls=bool(config.get("use_tls")),
        use_ssl=bool(config.get("use_ssl")),
        from_email=config.get("from_email") or "revenge@localhost",
    )
    return server, list(config.get("to") or [])


def email_send(agent: NotificationAgent, *, message: Message, timeout: float) -> SendResult:
    server, recipients = _server_and_recipients(agent)
    if server is None or not server.host:
        return SendResult(ok=False, error="no SMTP server (REVENGE_SMTP_URL is not set)")
    if not recipients:
        return SendResult(ok=False, error="no recipient address")
    backend = EmailBackend(
        host=server.host,
        port=server.port,
        username=server.username or None,
        password=server.password or None,
        use_tls=server.use_tls,
        use_ssl=server.use_ssl,
        timeout=timeout,
        fail_silently=False,
    )
    body = message.body + (f"\n\n{message.link}" if message.link else "")
    email = EmailMessage(
        subject=message.title, body=body, from_email=server.from_email, to=recipients, connection=backend
    )
    # An operator's agent names its SMTP server: the outbound guard checks and pins it like any URL. The server
    # of REVENGE_SMTP_URL (personal channels) is the operator's own setting, often on the LAN, and is trusted.
    guard = outbound_guarded(allow_private=may_reach_private(agent)) if agent.owner_id is None else nullcontext()
    with guard as checked:
        result = _deliver(email, timeout)
    if not result.ok and checked is not None and checked.refused:
        return SendResult(ok=False, error=checked.refused)
    return result


def _deliver(email: EmailMessage, timeout: float) -> SendResult:
    try:
        email.send()
    except smtplib.SMTPResponseException as exc:
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return SendResult(ok=False, status_code=exc.smtp_code, error=f"SMTP {exc.smtp_code}: {detail}")
    except smtplib.SMTPRecipientsRefused as exc:
        return SendResult(ok=False, error=f"SMTP refused the recipients: {', '.join(exc.recipients)}")
    except TimeoutError:
        return SendResult(ok=False, error=f"the SMTP server did not answer within {timeout:g} s")
    except (smtplib.SMTPException, OSError) as exc:
        return SendResult(ok=False, error=f"SMTP: {type(exc).__name__}: {exc}")
    return SendResult(ok=True, status_code=250)
