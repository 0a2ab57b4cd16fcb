"""The API's JSON renderer encodes with orjson and gives what DRF's renderer gives, whatever a view returns."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import uuid
from dataclasses import dataclass

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from apps.core.api.renderers import JSONRenderer

NOW = datetime.datetime(2026, 12, 4, 3, 40, 5, 123456, tzinfo=datetime.UTC)


@dataclass
class Point:
    x: int


VALUES = [
    {"title": "Amélie", "year": 2001, "rating": 8.3, "none": None, "flags": [True, False], "nested": {"a": [1, 2]}},
    ReturnList([ReturnDict({"id": 1}, serializer=None)], serializer=None),
    {"when": NOW, "naive": NOW.replace(tzinfo=None), "day": NOW.date(), "at": NOW.time().replace(tzinfo=None)},
    {"lazy": gettext_lazy("Not found."), "money": decimal.Decimal("1.50"), "id": uuid.UUID(int=7)},
    {"ip": ipaddress.ip_address("192.0.2.1"), "net": ipaddress.ip_network("10.0.0.0/8"), "span": NOW - NOW},
    {1: "int key", None: "none key", "tuple": (1, "two")},
    {"line separators": "a\u2028b\u2029c", "controls": "tab\tnew\nline\x00nul", "quote": '"\\/'},
    {"emoji": "🎬", "huge": 2**70, "negative": -(2**63)},
    [],
    "plain",
    0,
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_bytes_are_drfs(value):
    assert JSONRenderer().render(value) == DRFRenderer().render(value)


def test_pretty_printing_asked_by_the_client_is_drfs():
    value = {"a": [1, {"b": 2}]}
    media_type = "application/json; indent=4"
    assert JSONRenderer().render(value, media_type) == DRFRenderer().render(value, media_type)
    assert b"\n    " in JSONRenderer().render(value, media_type)


def test_what_neither_can_encode_fails_as_before():
    for renderer in (JSONRenderer(), DRFRenderer()):
        with pytest.raises(TypeError):
            renderer.render({"thing": object()})
    assert JSONRenderer().render(None) == b""


def test_a_dataclass_goes_through_drfs_encoder_as_before():
    # DRF's encoder knows no dataclasses: both refuse one, rather than orjson quietly writing it out.
    for renderer in (JSONRenderer(), DRFRenderer()):
        with pytest.raises(TypeError):
            renderer.render({"point": Point(1)})
