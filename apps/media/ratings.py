"""Map content certifications (NFO ``<mpaa>`` values, operator input) to a minimum viewer age.

Pure Python and Django-free so the scanner, the API and the parental filter can all share it.
"""

from __future__ import annotations

import re
import unicodedata

# Canonical label -> minimum age, per system. Labels match ignoring case, spacing and punctuation.
# Ages follow Jellyfin's rating tables (PG 10, R 17, TV-MA 17, BBFC PG 8) so limits carry over from a Jellyfin install.
SYSTEMS: dict[str, dict[str, int]] = {
    "us": {"G": 0, "PG": 10, "PG-13": 13, "R": 17, "NC-17": 18, "X": 18},
    "us-tv": {"TV-Y": 0, "TV-G": 0, "TV-Y7": 7, "TV-Y7-FV": 7, "TV-PG": 10, "TV-14": 14, "TV-MA": 17},
    "de": {"0": 0, "6": 6, "12": 12, "16": 16, "18": 18, "Ohne Altersbeschränkung": 0, "Keine Jugendfreigabe": 18},
    "gb": {"U": 0, "Uc": 0, "PG": 8, "12": 12, "12A": 12, "15": 15, "18": 18, "R18": 18},
    "au": {"G": 0, "PG": 8, "M": 15, "MA15+": 15, "R18+": 18, "X18+": 18},
    "ca": {"G": 0, "PG": 8, "14A": 14, "18A": 18, "R": 18},
    "nl": {"AL": 0, "6": 6, "9": 9, "12": 12, "14": 14, "16": 16, "18": 18},
    "fr": {"U": 0, "10": 10, "12": 12, "16": 16, "18": 18},
    "es": {"APTA": 0, "Ai": 0, "TP": 0, "7": 7, "7i": 7, "12": 12, "16": 16, "18": 18, "X": 18},
}

# Country spellings seen in NFO prefixes (Kodi "US:", IMDb "Germany:", Plex "gb/", Jellyfin "DE-") -> systems.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("us", "usa", "united states", "america"), ("us", "us-tv")),
    **dict.fromkeys(("de", "ger", "germany", "deutschland"), ("de",)),
    **dict.fromkeys(("gb", "uk", "united kingdom", "great britain", "england"), ("gb",)),
    **dict.fromkeys(("au", "australia"), ("au",)),
    **dict.fromkeys(("ca", "canada"), ("ca",)),
    **dict.fromkeys(("nl", "netherlands", "holland"), ("nl",)),
    **dict.fromkeys(("fr", "france"), ("fr",)),
    **dict.fromkeys(("es", "spain"), ("es",)),
}

# Leading words that carry no rating; the system-specific ones also tell which table to prefer.
_KEYWORD_SYSTEMS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("mpaa", "mpa"), ("us",)),
    **dict.fromkeys(("fsk", "freigegeben", "ab"), ("de",)),
    "bbfc": ("gb",),
    "kijkwijzer": ("nl",),
    "csa": ("fr",),
    **dict.fromkeys(("rated", "rating", "certificate", "certification", "cert"), ()),
}

# Long words first so "certificate" is not consumed as "cert".
_KEYWORD = re.compile(r"^(" + "|".join(sorted(_KEYWORD_SYSTEMS, key=len, reverse=True)) + r")(?![a-z])\s*[:.\-]?\s*")
# A hyphen only separates two-letter codes: "DE-12" is a prefix, "PG-13" and "TV-MA" are not.
_COUNTRY = re.compile(r"^(?:([a-z][a-z ]{0,23}?)\s*[:/]|([a-z]{2})\s*[-_])\s*")
_SEPARATORS = re.compile(r"\s+/\s+|[,;|]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NUMBER = re.compile(r"([0-9]{1,2})\s*\+?")
_MAX_LENGTH = 200  # real values are a few words; the cap keeps hostile input cheap
_MAX_AGE = 21
_PREFIX_PASSES = 4  # enough for "US: MPAA Rating: PG-13" without looping on crafted input


def _compact(value: str) -> str:
    return re.sub(r"[\W_]+", "", value)


_INDEX: dict[str, dict[str, int]] = {
    system: {_compact(label.casefold()): age for label, age in table.items()} for system, table in SYSTEMS.items()
}


def certification_age(certification: str) -> int | None:
    """Minimum age for a certification string; None when unrated or unknown.

    Lists such as "US:PG-13 / DE:12" yield the strictest recognised age so a parental limit never under-blocks.
    """
    if not isinstance(certification, str):
        return None
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", certification[:_MAX_LENGTH]).casefold())
    ages = [age for part in _SEPARATORS.split(text) if (age := _part_age(part.strip())) is not None]
    return max(ages, default=None)


def _part_age(text: str) -> int | None:
    systems: tuple[str, ...] = ()
    for _ in range(_PREFIX_PASSES):
        country = _COUNTRY.match(text)
        name = (country.group(1) or country.group(2)).strip() if country else ""
        if country and name in _COUNTRIES:
            systems, text = _COUNTRIES[name], text[country.end() :]
        elif country and country.group(1) and len(name) == 2:  # other countries ("se:15") still give numbers
            text = text[country.end() :]
        elif keyword := _KEYWORD.match(text):
            systems, text = _KEYWORD_SYSTEMS[keyword.group(1)] or systems, text[keyword.end() :]
        else:
            break
    # Plain "PG" is American: unprefixed values try the tables in SYSTEMS order.
    order = systems + tuple(system for system in SYSTEMS if system not in systems)
    words = text.split()
    # The whole text first ("PG 13", "TV 14"), then its first word ("PG-13 for violence", "16 Jahren").
    for candidate in dict.fromkeys((text, words[0] if words else "")):
        key = _compact(candidate)
        for system in order:
            if key in _INDEX[system]:
                return _INDEX[system][key]
        # Matched on the raw word so a "-1" placeholder is not read as age 1.
        if (number := _NUMBER.fullmatch(candidate)) and int(number.group(1)) <= _MAX_AGE:
            return int(number.group(1))
    return None


def _display(system: str, label: str) -> str:
    if system == "gb":
        return f"UK {label}" if label in SYSTEMS["us"] else label  # "PG" alone reads as the American 10
    if system in ("us", "us-tv"):
        return label
    return f"FSK {label}" if system == "de" else f"{system.upper()} {label}"


def rating_choices() -> list[tuple[int, str]]:
    """Choices for a "max parental rating" field: every age in SYSTEMS with example certifications."""
    examples: dict[int, list[str]] = {}
    for system, table in SYSTEMS.items():
        canonical: dict[int, str] = {}
        for label, age in table.items():
            canonical.setdefault(age, label)  # one example per system and age keeps labels short
        for age, label in canonical.items():
            names = examples.setdefault(age, [])
            if len(names) < 4 and _display(system, label) not in names:
                names.append(_display(system, label))
    choices = []
    for age in sorted(examples):
        title = "All ages" if age == 0 else "Adults" if age >= 18 else f"{age}+"
        choices.append((age, f"{title} ({', '.join(examples[age])})"))
    return choices
