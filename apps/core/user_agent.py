"""A client's user agent string as stored: shared by the sessions of accounts and the activity log of audit."""

from __future__ import annotations

MAX_USER_AGENT = 300  # as stored on LoginSession, ApiToken and Activity; bounds a parser on hostile input


def user_agent_clean(value: object) -> str:
    """A user agent as stored: text, printable, at most MAX_USER_AGENT characters."""
    text = value if isinstance(value, str) else ""
    return "".join(ch for ch in text[:MAX_USER_AGENT] if ch.isprintable())
