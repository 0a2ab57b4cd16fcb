"""Browser, operating system and device of a user agent string, for the list of sessions and tokens."""

from __future__ import annotations

import functools
import logging

from apps.core.user_agent import user_agent_clean

logger = logging.getLogger(__name__)

UNKNOWN = "Other"


def _version(family: str, *parts: str | None) -> str:
    numbers = [p for p in parts if p]
    return f"{family} {'.'.join(numbers)}" if numbers and family != UNKNOWN else family


@functools.lru_cache(maxsize=1024)
def _describe(user_agent: str) -> tuple[str, str, str]:
    import ua_parser  # lazy: its regexes cost every process's start-up, and only session lists and logins parse

    try:
        result = ua_parser.parse(user_agent).with_defaults()
    except Exception:
        # A parser bug must not break a login or a listing: the device is then simply unknown.
        logger.warning("user agent could not be parsed: %r", user_agent[:80], exc_info=True)
        return UNKNOWN, UNKNOWN, UNKNOWN
    browser = _version(result.user_agent.family, result.user_agent.major)
    system = _version(result.os.family, result.os.major, result.os.minor)
    return browser, system, result.device.family or UNKNOWN


def device_describe(user_agent: str) -> dict[str, str]:
    """{"browser": "Firefox 128", "os": "Windows 10", "device": "Other"}; "Other" for what is not recognised."""
    browser, system, device = _describe(user_agent_clean(user_agent))
    return {"browser": browser, "os": system, "device": device}


def device_label(user_agent: str) -> str:
    """A short human name such as "Firefox 128 on Windows 10" or "Mobile Safari 17 on iOS 17.5 (iPhone)"."""
    described = device_describe(user_agent)
    label = " on ".join(v for v in (described["browser"], described["os"]) if v != UNKNOWN)
    if described["device"] not in (UNKNOWN, "Spider"):
        label = f"{label} ({described['device']})" if label else described["device"]
    return label or "Unknown device"
