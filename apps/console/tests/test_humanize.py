"""Durations, sizes and bit rates as operators read them; anything that is not a number shows as a dash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template

from apps.console import humanize


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (6727.4, "1:52:07"),
        (3600, "1:00:00"),
        (59.99, "0:59"),
        (0, "0:00"),
        ("6.015", "0:06"),
        (360000, "100:00:00"),
        (None, "—"),
        ("", "—"),
        ("1:52", "—"),
        (-5, "—"),
        (float("nan"), "—"),
        (float("inf"), "—"),
        (True, "—"),
        ([], "—"),
        (10**400, "—"),
    ],
)
def test_duration(value, expected):
    assert humanize.duration(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4_200_000_000, "4.2 GB"),
        (999, "999 B"),
        (1000, "1.0 kB"),
        (123_456_789, "123 MB"),
        (0, "0 B"),
        (5 * 10**18, "5000 PB"),
        ("12", "12 B"),
        (None, "—"),
        ("a lot", "—"),
        (-1, "—"),
        (float("nan"), "—"),
    ],
)
def test_filesize(value, expected):
    assert humanize.filesize(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8_100_000, "8.1 Mb/s"),
        (640_000, "640 kb/s"),
        (95_000_000, "95.0 Mb/s"),
        (1_500_000_000, "1.5 Gb/s"),
        (0, "0 b/s"),
        (None, "—"),
        ("fast", "—"),
        (-8_000, "—"),
    ],
)
def test_bitrate(value, expected):
    assert humanize.bitrate(value) == expected


@pytest.mark.parametrize(
    ("value", "total", "expected"),
    [(30, 60, 50), (90, 60, 100), (1, 3, 33), (5, 0, 0), (5, None, 0), (None, 60, 0), ("x", 60, 0), (-5, 60, 0)],
)
def test_percent(value, total, expected):
    assert humanize.percent(value, total) == expected


def test_the_filters_in_a_template():
    template = Template(
        "{% load console %}{{ d|duration }} {{ s|filesize }} {{ b|bitrate }} {{ p|percent_of:t }} {{ junk|duration }}"
    )
    context = Context({"d": 6727, "s": 4_200_000_000, "b": 8_100_000, "p": 30, "t": 120, "junk": "<script>"})
    assert template.render(context) == "1:52:07 4.2 GB 8.1 Mb/s 25 —"


NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (NOW, "just now"),
        (NOW + timedelta(hours=1), "just now"),  # a clock a little ahead is not "in the future" to an operator
        (NOW - timedelta(seconds=59), "just now"),
        (NOW - timedelta(minutes=5), "5 min ago"),
        (NOW - timedelta(hours=3, minutes=59), "3 h ago"),
        (NOW - timedelta(days=1), "1 day ago"),
        (NOW - timedelta(days=400), "400 days ago"),
        (None, "—"),
        ("2026-01-01", "—"),
        (1767268800, "—"),
    ],
)
def test_ago(value, expected):
    assert humanize.ago(value, now=NOW) == expected
