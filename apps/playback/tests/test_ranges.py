"""Range header parsing: what players send, what attackers send."""

import pytest

from apps.playback.ranges import MAX_RANGES, ByteRange, UnsatisfiableRange, range_parse


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", [ByteRange(0, 99)]),
        ("bytes=500-", [ByteRange(500, 999)]),
        ("bytes=-100", [ByteRange(900, 999)]),
        ("bytes=-5000", [ByteRange(0, 999)]),
        ("bytes=900-5000", [ByteRange(900, 999)]),
        ("bytes=0-9, 20-29", [ByteRange(0, 9), ByteRange(20, 29)]),
        ("bytes=20-29,0-9", [ByteRange(0, 9), ByteRange(20, 29)]),
        ("bytes=0-50,10-60,61-70", [ByteRange(0, 70)]),  # overlapping and adjacent parts merge
        ("BYTES = 1-1", [ByteRange(1, 1)]),
        (None, None),
        ("", None),
        ("items=0-9", None),
        ("bytes=abc", None),
        ("bytes=9-1", None),
        ("bytes=1-x", None),
        ("bytes=", None),
        ("bytes=--5", None),
    ],
)
def test_parse(header, expected):
    assert range_parse(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0", f"bytes={'0-1,' * MAX_RANGES}5-6"])
def test_unsatisfiable(header):
    with pytest.raises(UnsatisfiableRange):
        range_parse(header, 1000)


def test_content_range():
    assert ByteRange(10, 19).content_range(100) == "bytes 10-19/100"
    assert ByteRange(10, 19).length == 10


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"bytes=0-{'9' * 5000}", [ByteRange(0, 999)]),  # an end past every file: to the end
        (f"bytes=-{'9' * 5000}", [ByteRange(0, 999)]),  # a suffix longer than the file: all of it
        (f"bytes={'0' * 5000}1-2", [ByteRange(1, 2)]),  # leading zeros are still a small number
        ("bytes=²-3", None),  # not ASCII digits: malformed, ignored
        ("bytes=0-٣", None),
        ("bytes=0x10-20", None),
        ("bytes=+1-2", None),
        ("bytes= 1 - 2 ", [ByteRange(1, 2)]),
    ],
)
def test_hostile_numbers(header, expected):
    assert range_parse(header, 1000) == expected


@pytest.mark.parametrize("header", [f"bytes={'9' * 5000}-", f"bytes={'9' * 5000}-{'9' * 5001}"])
def test_a_start_past_every_file_is_unsatisfiable(header):
    with pytest.raises(UnsatisfiableRange):
        range_parse(header, 1000)
