"""Message wording: a default per event in code, operator overrides in MessageTemplate (Django template syntax).
A broken override never fails a delivery: the default is used instead and a warning is logged."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template

from apps.core.events import CATALOGUE
from apps.notifications import routing

logger = logging.getLogger(__name__)

PARTS = ("title", "body", "link", "poster")
TITLE_LIMIT, BODY_LIMIT = 250, 4000
# Plain text for Discord, Gotify, ntfy and mail: nothing is HTML-escaped.
ENGINE = Engine(autoescape=False)

_YEAR = "{% if year %} ({{ year }}){% endif %}"
_MOVIE_LINK = "{% if base_url and movie_id %}{{ base_url }}/api/v1/movies/{{ movie_id }}/{% endif %}"
_EPISODE_LINK = "{% if base_url and episode_id %}{{ base_url }}/api/v1/episodes/{{ episode_id }}/{% endif %}"
_SCAN_LINK = "{% if base_url and scan_id %}{{ base_url }}/admin/libraries/libraryscan/{{ scan_id }}/change/{% endif %}"
_REASON = "{% if reason %} Reason: {{ reason }}{% endif %}"

DEFAULTS: dict[str, dict[str, str]] = {
    "movie.added": {
        "title": "New movie: {{ title }}" + _YEAR,
        "body": "{{ title }}" + _YEAR + " was added.",
        "link": _MOVIE_LINK,
    },
    "movie.available": {
        "title": "Now available: {{ title }}" + _YEAR,
        "body": "{{ title }}" + _YEAR + " is ready to play.",
        "link": _MOVIE_LINK,
    },
    "episode.added": {
        "title": "New episode: {{ show }} S{{ season }}E{{ episode }}",
        "body": "{{ show }} season {{ season }} episode {{ episode }}{% if title %}: {{ title }}{% endif %} was added.",
        "link": _EPISODE_LINK,
    },
    "episode.available": {
        "title": "Now available: {{ show }} S{{ season }}E{{ episode }}",
        "body": "{{ show }} season {{ season }} episode {{ episode }}{% if title %}: {{ title }}{% endif %} is ready.",
        "link": _EPISODE_LINK,
    },
    "media.removed": {"title": "Removed: {{ title }}", "body": "{{ title }} lost its last file and left the library."},
    "request.created": {"title": "New request: {{ title }}", "body": "{{ title }} ({{ media_kind }}) was requested."},
    "request.approved": {
        "title": "Request approved: {{ title }}",
        "body": "Your request for {{ title }} was approved.",
    },
    "request.declined": {
        "title": "Request declined: {{ title }}",
        "body": "Your request for {{ title }} was declined." + _REASON,
    },
    "request.available": {"title": "Now available: {{ title }}", "body": "{{ title }}, which you requested, is here."},
    "request.failed": {"title": "Request failed: {{ title }}", "body": "{{ title }} could not be fetched." + _REASON},
    "user.created": {"title": "New user: {{ username }}", "body": "The account {{ username }} was created."},
    "playback.started": {"title": "{{ username }} is playing {{ title }}", "body": "{{ title }} on {{ device }}."},
    "playback.paused": {"title": "{{ username }} paused {{ title }}", "body": "{{ title }} on {{ device }}."},
    "playback.resumed": {"title": "{{ username }} resumed {{ title }}", "body": "{{ title }} on {{ device }}."},
    "playback.stopped": {"title": "{{ username }} stopped {{ title }}", "body": "{{ title }} on {{ device }}."},
    "transcode.started": {
        "title": "Transcoding {{ title }} for {{ username }}",
        "body": "{{ title }} on {{ device }}." + _REASON,
    },
    "library.scan_started": {
        "title": "Scan started: {{ library }}",
        "body": "A {{ kind }} scan of {{ library }} started.",
    },
    "library.scan_completed": {
        "title": "Scan finished: {{ library }}",
        "body": "{{ library }}: {% for key, value in counters.items %}{{ key }} {{ value }}{% if not forloop.last %}, "
        "{% endif %}{% endfor %}.",
        "link": _SCAN_LINK,
    },
    "library.scan_failed": {"title": "Scan failed: {{ library }}", "body": "{{ reason }}", "link": _SCAN_LINK},
    "security.login_failed": {
        "title": "Failed login as {{ username }}",
        "body": "From {{ ip }}{% if locked %}, refused while locked out{% endif %}.",
    },
    "security.lockout": {
        "title": "Locked out: {{ username|default:ip }}",
        "body": "{{ scope }} {{ key }} locked after {{ failures }} failed logins"
        "{% if permanent %} until unlocked{% else %} until {{ locked_until }}{% endif %}.",
    },
    "security.unlocked": {"title": "Unlocked: {{ username|default:key }}", "body": "A login lockout was lifted."},
    "security.ip_blocked": {
        "title": "Blocked {{ ip }}",
        "body": "{{ method }} {{ path }} refused by a {{ rule }} rule.",
    },
    "system.startup": {"title": "Revenge {{ process }} started", "body": "The {{ process }} process started."},
    "notifications.agent_disabled": {
        "title": "Notification agent turned off: {{ name }}",
        "body": "{{ name }} ({{ kind }}) failed {{ failures }} deliveries in a row. Last error: {{ last_error }}",
    },
    "digest": {
        "title": "Your {{ frequency }} digest: {{ movie_count }} movie{{ movie_count|pluralize }}, "
        "{{ episode_count }} episode{{ episode_count|pluralize }}",
        "body": "New since {{ since }}:\n"
        "{% for m in movies %}- {{ m.title }}{% if m.year %} ({{ m.year }}){% endif %}\n{% endfor %}"
        "{% for e in episodes %}- {{ e.show }} S{{ e.season }}E{{ e.episode }}"
        "{% if e.title %} {{ e.title }}{% endif %}\n{% endfor %}"
        "{% if more %}… and {{ more }} more\n{% endif %}",
    },
}
GENERIC = {
    "title": "{{ description|default:event }}",
    "body": "{% for key, value in payload.items %}{{ key }}: {{ value }}\n{% endfor %}",
}


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str = ""
    poster: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        return cls(**{part: str(data.get(part) or "") for part in PARTS})


def default_parts(name: str) -> dict[str, str]:
    """The built-in templates of one event (or "digest")."""
    own = DEFAULTS.get(name, {})
    return {part: own.get(part, GENERIC.get(part, "")) for part in PARTS}


def template_problem(source: str) -> str | None:
    """Why `source` does not compile as a Django template, or None."""
    try:
        ENGINE.from_string(source)
    except Exception as exc:  # TemplateSyntaxError and the odd error a tag raises while parsing
        return f"{type(exc).__name__}: {exc}"
    return None


@lru_cache(maxsize=1024)
def _compiled(source: str) -> Template:
    return ENGINE.from_string(source)


def _render(source: str, context: dict[str, Any]) -> str:
    return _compiled(source).render(Context(context, autoescape=False)).strip()


def message_render(name: str, payload: dict[str, Any], *, extra: dict[str, Any] | None = None) -> Message:
    """The message of an event: each part from the operator's override if it renders, else the default."""
    entry = CATALOGUE.get(name)
    context = {
        **payload,
        **(extra or {}),
        "payload": payload,
        "event": name,
        "category": entry.category if entry else "",
        "description": entry.description if entry else "",
        "base_url": getattr(settings, "PUBLIC_URL", "").rstrip("/"),
    }
    override = routing.template_override(name)
    defaults = default_parts(name)
    parts = {}
    for part in PARTS:
        source = getattr(override, part, "") if override else ""
        if source:
            try:
                parts[part] = _render(source, context)
                continue
            except Exception as exc:
                logger.warning("message template of %s (%s) is broken, using the default: %s", name, part, exc)
        try:
            parts[part] = _render(defaults[part], context)
        except Exception:
            logger.exception("default message template of %s (%s) failed", name, part)
            parts[part] = ""
    title = " ".join(parts["title"].split())[:TITLE_LIMIT] or name
    return Message(title=title, body=parts["body"][:BODY_LIMIT], link=parts["link"], poster=parts["poster"])
