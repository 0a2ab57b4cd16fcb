"""What each kind of agent needs, checked before it is saved: hostile or broken input is refused with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apps.core.outbound import literal_host_problem, outbound_url_problem
from apps.notifications import matching
from apps.notifications.models import NotificationAgent

Kind = NotificationAgent.Kind
ATTEMPT_TIMEOUT = 10.0  # seconds per attempt, for every kind
PERSONAL_KINDS = (Kind.EMAIL, Kind.GOTIFY, Kind.NTFY, Kind.DISCORD, Kind.APPRISE)
URL_KINDS = (Kind.WEBHOOK, Kind.DISCORD, Kind.GOTIFY, Kind.NTFY, Kind.TELEGRAM, Kind.APPRISE)
# Kinds sent through Apprise, and the URL schemes each accepts (None: any Apprise knows).
APPRISE_SCHEMES: dict[str, tuple[str, ...] | None] = {
    Kind.GOTIFY: ("gotify", "gotifys"),
    Kind.NTFY: ("ntfy", "ntfys"),
    Kind.TELEGRAM: ("tgram",),
    Kind.APPRISE: None,
}
# Apprise schemes that are not notification services: raw HTTP with any method, header and body (json, xml,
# form), relays (apprise), brokers and raw protocols, and the server's own desktop, log or devices. Admins only.
ADMIN_ONLY_SCHEMES = frozenset(
    {"json", "jsons", "xml", "xmls", "form", "forms", "apprise", "apprises", "syslog", "rsyslog"}
    | {"mqtt", "mqtts", "amqp", "amqps", "smpp", "smpps", "dbus", "kde", "qt", "gio", "glib", "gnome"}
    | {"macosx", "windows", "blink1"}
)
EMAIL_OPTIONS = {"host", "port", "username", "use_tls", "use_ssl", "from_email", "to"}
DISCORD_OPTIONS = {"username"}
MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    from_email: str = "revenge@localhost"


def http_url_problem(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL with a host, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return "must be an http:// or https:// URL"
    if not parts.hostname:
        return "names no host"
    return None


def apprise_url_problem(kind: str, url: str) -> str | None:
    """Why Apprise would not take `url` for this kind, or None."""
    import apprise  # lazy: Apprise takes ~0.3 s to import; only Apprise agents need it

    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    allowed = APPRISE_SCHEMES[kind]
    if allowed is not None and scheme not in allowed:
        return f"must start with {' or '.join(s + '://' for s in allowed)}"
    if apprise.Apprise.instantiate(url) is None:
        return "is not a URL Apprise understands (see the Apprise wiki for the service's URL format)"
    return None


def url_scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def may_reach_private(agent: NotificationAgent) -> bool:
    """The admin opt-in, honoured only while a personal channel's owner is still an admin."""
    return agent.allow_private_network and (agent.owner_id is None or agent.owner.is_superuser)


def admin_only_problem(url: str, *, admin: bool, owner=None) -> str | None:
    """Why a scheme that is not a notification service may not be used here, or None."""
    scheme = url_scheme(url)
    if scheme in ADMIN_ONLY_SCHEMES and not (admin and (owner is None or owner.is_superuser)):
        return f"{scheme}:// is not a notification service: only an admin may use it"
    return None


def _url_problem(kind: str, url: str, *, owner, allow_private: bool, admin: bool) -> str | None:
    if kind in (Kind.WEBHOOK, Kind.DISCORD):
        return http_url_problem(url) or outbound_url_problem(url, allow_private=allow_private) or None
    return (
        apprise_url_problem(kind, url)
        or admin_only_problem(url, admin=admin, owner=owner)
        or literal_host_problem(url, allow_private=allow_private)
        or None
    )


def smtp_server_from_url(url: str) -> SmtpServer:
    """REVENGE_SMTP_URL: smtp://user:password@host:port?starttls=1&from=… (smtps:// for TLS from the start)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("must look like smtp://user:password@host:587?starttls=1&from=revenge@example.org")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    use_ssl = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or (465 if use_ssl else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=query.get("starttls", "0").lower() in ("1", "true", "yes", "on"),
        use_ssl=use_ssl,
        from_email=query.get("from") or "revenge@localhost",
    )


def site_smtp_server() -> SmtpServer | None:
    """The server that mails people at their own address, from REVENGE_SMTP_URL; None when unset."""
    url = getattr(settings, "SMTP_URL", "")
    return smtp_server_from_url(url) if url else None


def _email_config_clean(config: dict, errors: dict, *, allow_private: bool) -> dict:
    unknown = sorted(set(config) - EMAIL_OPTIONS)
    if unknown:
        errors["config"] = [f"unknown email options: {', '.join(unknown)}"]
        return config
    problems = []
    if not str(config.get("host") or "").strip():
        problems.append("host: the SMTP server is required")
    try:
        port = int(config.get("port") or 25)
        if not 1 <= port <= 65535:
            raise ValueError
    except (TypeError, ValueError):
        problems.append("port: must be a number from 1 to 65535")
        port = 25
    if bool(config.get("use_tls")) and bool(config.get("use_ssl")):
        problems.append("use_tls and use_ssl: choose one")
    recipients = config.get("to") or []
    if isinstance(recipients, str):
        recipients = [r.strip() for r in recipients.split(",") if r.strip()]
    if not recipients:
        problems.append("to: at least one address is required")
    for address in [*recipients, config.get("from_email") or "revenge@localhost"]:
        try:
            validate_email(address)
        except ValidationError:
            problems.append(f"{address!r} is not an email address")
    host = str(config.get("host") or "").strip()
    if host and not problems:
        problem = outbound_url_problem(f"smtp://{host}:{port}", allow_private=allow_private, schemes=("smtp",))
        if problem:
            problems.append(f"host: {problem}")
    if problems:
        errors["config"] = problems
    return {
        "host": host,
        "port": port,
        "username": str(config.get("username") or ""),
        "use_tls": bool(config.get("use_tls")),
        "use_ssl": bool(config.get("use_ssl")),
        "from_email": config.get("from_email") or "revenge@localhost",
        "to": recipients,
    }


def agent_clean(
    *,
    kind: str,
    url: str,
    secret: str,
    config: dict | None,
    events: object,
    media_kinds: object = (),
    owner=None,
    allow_private_network: bool = False,
    admin: bool = True,
) -> dict:
    """The cleaned (config, events, media_kinds), or a ValidationError with a message per field.
    `admin`: whether the one saving is an admin (or the system), who may use the schemes of ADMIN_ONLY_SCHEMES."""
    errors: dict[str, list[str]] = {}
    config = config if isinstance(config, dict) else {}
    if allow_private_network and owner is not None and not owner.is_superuser:
        errors["allow_private_network"] = ["a personal channel of someone who is not an admin never reaches it"]
    allow_private = allow_private_network and (owner is None or owner.is_superuser)
    if kind not in Kind.values:
        errors["kind"] = [f"{kind!r} is not a kind; use one of {', '.join(Kind.values)}"]
    elif owner is not None and kind not in PERSONAL_KINDS:
        errors["kind"] = [f"a personal channel is one of {', '.join(PERSONAL_KINDS)}"]
    elif kind in URL_KINDS:
        if not url:
            errors["url"] = ["the URL is required for this kind"]
        else:
            problem = _url_problem(kind, url, owner=owner, allow_private=allow_private, admin=admin)
            if problem:
                errors["url"] = [problem]
    if kind == Kind.WEBHOOK and len(secret or "") < MIN_SECRET_LENGTH:
        errors["secret"] = [f"a signing secret of at least {MIN_SECRET_LENGTH} characters is required"]
    if kind == Kind.EMAIL and owner is None:
        config = _email_config_clean(config, errors, allow_private=allow_private)
    elif kind == Kind.EMAIL:
        # A person's email channel mails their own account address through REVENGE_SMTP_URL, nothing else.
        if not owner.email:
            errors["kind"] = ["your account has no email address"]
        elif site_smtp_server() is None:
            errors["kind"] = ["this server sends no mail (REVENGE_SMTP_URL is not set)"]
        config = {}
    elif kind == Kind.DISCORD:
        unknown = sorted(set(config) - DISCORD_OPTIONS)
        if unknown:
            errors["config"] = [f"unknown Discord options: {', '.join(unknown)}"]
    elif config and kind in Kind.values:
        errors["config"] = [f"the {kind} kind takes no options"]
    try:
        events = matching.patterns_clean(events, field="events", allow_digest=owner is not None)
    except ValueError as exc:
        errors["events"] = [str(exc)]
    kinds = list(media_kinds) if isinstance(media_kinds, (list, tuple)) else [media_kinds] if media_kinds else []
    bad = [k for k in kinds if k not in NotificationAgent.MediaKind.values]
    if bad:
        errors["media_kinds"] = [f"unknown media kinds: {', '.join(map(str, bad))}"]
    if errors:
        raise ValidationError(errors)
    return {"config": config, "events": events, "media_kinds": list(dict.fromkeys(kinds))}


def target_display(agent: NotificationAgent) -> str:
    """Where the agent sends, without credentials or tokens: scheme://host[:port]/…"""
    if agent.kind == Kind.EMAIL:
        if agent.owner_id:
            return f"mailto:{agent.owner.email}"
        config = agent.config
        return f"smtp://{config.get('host', '')}:{config.get('port', 25)} → {', '.join(config.get('to', []))}"
    if agent.kind in APPRISE_SCHEMES:
        import apprise  # lazy: Apprise takes ~0.3 s to import; only Apprise agents need it

        # Apprise's own privacy form: tokens and passwords masked (a Telegram bot token sits where a host would).
        plugin = apprise.Apprise.instantiate(agent.url) if agent.url else None
        return plugin.url(privacy=True).split("?", 1)[0] if plugin is not None else ""
    try:
        parts = urlsplit(agent.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(invalid URL)"
    if not parts.scheme:
        return ""
    return f"{parts.scheme}://{host}{port}/…"
