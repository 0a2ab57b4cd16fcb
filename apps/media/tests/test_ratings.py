"""Certification strings from NFO files and operator input map to a minimum viewer age."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apps.media.ratings import SYSTEMS, certification_age, rating_choices

# Values as written by Kodi scrapers, Jellyfin/Emby NFO savers, Plex exports, tinyMediaManager and people.
REAL_WORLD = [
    # US MPAA
    ("G", 0),
    ("PG", 10),
    ("PG-13", 13),
    ("R", 17),
    ("NC-17", 18),
    ("Rated G", 0),
    ("Rated PG", 10),
    ("Rated PG-13", 13),
    ("Rated R", 17),
    ("Rated NC-17", 18),
    ("Rated X", 18),
    ("rated r", 17),
    ("US:R", 17),
    ("us:PG-13", 13),
    ("USA:PG-13", 13),
    ("United States:R", 17),
    ("MPAA: PG-13", 13),
    ("MPAA Rating: R", 17),
    ("US: Rated R", 17),
    ("Rated PG-13 for violence", 13),
    ("Rated R for strong violence and language throughout", 17),
    ("Rated PG-13 for intense sequences of sci-fi action, and some language", 13),
    ("PG 13", 13),
    ("NC17", 18),
    ("pg-13 ", 13),
    ("  Rated  PG-13  ", 13),
    ("PG\u201313", 13),
    ("us/PG-13", 13),
    ("US-R", 17),
    # US TV parental guidelines
    ("TV-Y", 0),
    ("TV-Y7", 7),
    ("TV-Y7-FV", 7),
    ("TV-G", 0),
    ("TV-PG", 10),
    ("TV-14", 14),
    ("TV-MA", 17),
    ("tv-ma", 17),
    ("TV 14", 14),
    ("TVMA", 17),
    ("US:TV-MA", 17),
    ("us:TV-14", 14),
    ("Rated TV-PG", 10),
    # Germany FSK
    ("FSK 0", 0),
    ("FSK 6", 6),
    ("FSK 12", 12),
    ("FSK 16", 16),
    ("FSK 18", 18),
    ("FSK12", 12),
    ("FSK-16", 16),
    ("fsk 18", 18),
    ("de:FSK 12", 12),
    ("DE:12", 12),
    ("de/16", 16),
    ("DE-18", 18),
    ("Germany:12", 12),
    ("Germany:FSK 16", 16),
    ("ab 12", 12),
    ("FSK ab 6", 6),
    ("Freigegeben ab 16 Jahren", 16),
    ("FSK ab 12 freigegeben", 12),
    ("Keine Jugendfreigabe", 18),
    ("Ohne Altersbeschränkung", 0),
    # UK BBFC: "PG" only means 8 with a UK prefix
    ("gb:U", 0),
    ("gb:PG", 8),
    ("uk:PG", 8),
    ("gb:12", 12),
    ("gb:12A", 12),
    ("12A", 12),
    ("gb:15", 15),
    ("UK:18", 18),
    ("BBFC 15", 15),
    ("BBFC: PG", 8),
    ("UK:R18", 18),
    ("R18", 18),
    ("U", 0),
    ("United Kingdom:12A", 12),
    ("gb/15", 15),
    ("GB-15", 15),
    # France, Netherlands, Australia, Canada, Spain
    ("fr:U", 0),
    ("fr:10", 10),
    ("fr:12", 12),
    ("fr:16", 16),
    ("fr:18", 18),
    ("fr:-12", 12),
    ("France:16", 16),
    ("nl:AL", 0),
    ("nl:6", 6),
    ("nl:9", 9),
    ("nl:12", 12),
    ("nl:14", 14),
    ("nl:16", 16),
    ("nl:18", 18),
    ("Kijkwijzer 12", 12),
    ("AL", 0),
    ("au:G", 0),
    ("au:PG", 8),
    ("au:M", 15),
    ("au:MA15+", 15),
    ("au/MA15+", 15),
    ("MA 15+", 15),
    ("au:R18+", 18),
    ("Australia:M", 15),
    ("ca:PG", 8),
    ("ca:14A", 14),
    ("ca:18A", 18),
    ("ca:R", 18),
    ("es:APTA", 0),
    ("es:7", 7),
    ("es:16", 16),
    # Plain numbers, with or without a foreign prefix
    ("0", 0),
    ("6", 6),
    ("12", 12),
    ("16+", 16),
    ("18+", 18),
    ("se:15", 15),
    ("it:14", 14),
    ("Certificate: 15", 15),
    # Several certifications: the strictest wins
    ("US:PG-13 / DE:12", 13),
    ("DE:16 / US:PG-13", 16),
    ("US:R, DE:16", 17),
    ("gb:PG | us:PG-13", 13),
    # Unicode look-alikes typed or pasted by operators
    ("\uff30\uff27\uff0d\uff11\uff13", 13),
    ("FSK\u00a012", 12),
    ("TV\u2011MA", 17),
]

UNRATED = [
    "NR",
    "Not Rated",
    "Unrated",
    "N/A",
    "n/a",
    "None",
    "null",
    "Approved",
    "Passed",
    "E",
    "Rating Pending",
    "US:NR",
    "us:Not Rated",
    "Rated",
    "FSK",
    "de:",
]

JUNK = [
    "",
    " ",
    "\n\t",
    "-",
    "/",
    " / ",
    ":::",
    "???",
    "99",
    "123",
    "1e3",
    "-1",
    "012",
    "PG-1300",
    "PGX",
    "TV-ZZ",
    "Germany:",
    "12345678901234567890",
    "<mpaa>PG</mpaa>",
    "'; DROP TABLE media; --",
    "🔞",
    "\uff26\uff33\uff2b" * 100,
    "x" * 100_000,
    "us:" * 10_000,
    "Rated " * 10_000,
    "a" * 50_000 + ":PG",
    "評価なし",
    "\ud800",
]


@pytest.mark.parametrize(("certification", "age"), REAL_WORLD)
def test_real_world_certifications(certification: str, age: int) -> None:
    assert certification_age(certification) == age


@pytest.mark.parametrize("certification", UNRATED)
def test_unrated_is_none(certification: str) -> None:
    assert certification_age(certification) is None


@pytest.mark.parametrize("certification", JUNK)
def test_junk_is_none(certification: str) -> None:
    assert certification_age(certification) is None


@pytest.mark.parametrize(("certification", "age"), [("\x00PG\x00", 10), ("\tRated\tR\n", 17), ("(PG-13)", 13)])
def test_stray_characters_are_tolerated(certification: str, age: int) -> None:
    assert certification_age(certification) == age


@pytest.mark.parametrize("value", [None, 12, 12.0, b"PG-13", ["PG"], object()])
def test_non_strings_never_raise(value: object) -> None:
    assert certification_age(value) is None  # type: ignore[arg-type]


LABELS = [(system, label, age) for system, table in SYSTEMS.items() for label, age in table.items()]


@pytest.mark.parametrize(("system", "label", "age"), LABELS)
def test_every_label_round_trips_with_its_prefix(system: str, label: str, age: int) -> None:
    prefix = "us" if system == "us-tv" else system
    assert certification_age(f"{prefix}:{label}") == age
    assert certification_age(f"{prefix.upper()}: {label.lower()}") == age


def test_long_valid_prefix_still_parses() -> None:
    # Trailing garbage past the length cap must not hide a rating at the start.
    assert certification_age("Rated R for " + "violence " * 10_000) == 17


def test_choices_cover_every_age_in_order() -> None:
    choices = rating_choices()
    ages = [age for age, _ in choices]
    assert ages == sorted({age for table in SYSTEMS.values() for age in table.values()})
    assert all(label for _, label in choices)


def test_choice_labels_name_examples() -> None:
    labels = dict(rating_choices())
    assert labels[0] == "All ages (G, TV-Y, FSK 0, U)"
    assert labels[18].startswith("Adults (NC-17, FSK 18")
    assert "PG-13" in labels[13]
    assert "UK PG" in labels[8]
    assert "TV-MA" in labels[17]


def test_module_stays_django_free() -> None:
    source = Path(__file__).resolve().parents[1].joinpath("ratings.py").read_text(encoding="utf-8")
    modules = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    }
    assert not any(module.split(".")[0] == "django" for module in modules)
