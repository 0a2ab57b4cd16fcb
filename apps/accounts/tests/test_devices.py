"""Browser, system and device of real user agent strings, and hostile ones that must not break anything."""

from __future__ import annotations

import pytest

from apps.accounts.devices import _describe, device_describe, device_label
from apps.core.testing.clients import CHROME, FIREFOX, IPHONE
from apps.core.user_agent import MAX_USER_AGENT, user_agent_clean

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "expected", "label"),
    [
        (FIREFOX, {"browser": "Firefox 128", "os": "Windows 10", "device": "Other"}, "Firefox 128 on Windows 10"),
        (CHROME, {"browser": "Chrome 126", "os": "Linux", "device": "Other"}, "Chrome 126 on Linux"),
        (
            IPHONE,
            {"browser": "Mobile Safari 17", "os": "iOS 17.5", "device": "iPhone"},
            "Mobile Safari 17 on iOS 17.5 (iPhone)",
        ),
        (
            ANDROID,
            {"browser": "Chrome Mobile 126", "os": "Android 14", "device": "Pixel 8"},
            "Chrome Mobile 126 on Android 14 (Pixel 8)",
        ),
        ("okhttp/4.9.2", {"browser": "okhttp 4", "os": "Other", "device": "Other"}, "okhttp 4"),
    ],
    ids=["firefox", "chrome", "iphone", "android", "okhttp"],
)
def test_real_user_agents_are_described(user_agent, expected, label):
    assert device_describe(user_agent) == expected
    assert device_label(user_agent) == label


UNKNOWN = {"browser": "Other", "os": "Other", "device": "Other"}


@pytest.mark.parametrize(
    "hostile",
    ["", None, b"Firefox/128.0", 42, "\x00\xff" * 5000, "A" * 1_000_000, "(" * 100_000, "Firefox/" + "9" * 10_000],
    ids=["empty", "none", "bytes", "int", "binary", "huge", "parens", "huge-version"],
)
def test_hostile_user_agents_are_unknown_devices_and_never_raise(hostile):
    described = device_describe(hostile)
    assert set(described) == {"browser", "os", "device"}
    assert all(isinstance(v, str) and len(v) <= MAX_USER_AGENT for v in described.values())
    assert isinstance(device_label(hostile), str)


def test_a_stored_user_agent_is_truncated_and_printable():
    assert user_agent_clean("x" * 5000) == "x" * MAX_USER_AGENT
    assert user_agent_clean("Firefox\x00/\n128\x7f") == "Firefox/128"
    assert user_agent_clean(None) == "" and user_agent_clean(b"bytes") == ""
    # Everything past the stored length is ignored: only the first 300 characters decide.
    assert device_describe(FIREFOX + " " * MAX_USER_AGENT + "iPhone") == device_describe(FIREFOX)


def test_parsing_is_cached():
    device_describe(CHROME)
    hits = _describe.cache_info().hits
    device_describe(CHROME)
    assert _describe.cache_info().hits == hits + 1
