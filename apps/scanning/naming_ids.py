"""Provider ids tagged in file and folder names: `{tmdb-603}`, `[imdbid-tt0133093]`, `(tt0133093)`, `tmdbid=603`.

Pure Python, no Django. The names parser strips the tags from titles; the indexer puts the ids on the items.
"""

from __future__ import annotations

import re

_ID_TAG = re.compile(
    r"[\[{]\s*(?:imdb|tmdb|tvdb|anidb|tvmaze)(?:id)?\s*[-=:]\s*[^\]}]*[\]}]|[\[{(]tt[0-9]{5,10}[\]})]", re.I
)
# The id inside a tag, and the bare "tmdbid=603" form some tools write without brackets.
_ID_VALUE = re.compile(
    r"[\[{]\s*(imdb|tmdb|tvdb)(?:id)?\s*[-=:]\s*([^\]}]*?)\s*[\]}]|[\[{(](tt[0-9]{5,10})[\]})]"
    r"|(?<![^\W_])(tmdb|tvdb|imdb)id=(tt[0-9]{5,10}|[0-9]{1,10})(?![^\W_])",
    re.I,
)
_BARE_ID = re.compile(r"(?<![^\W_])(?:tmdb|tvdb|imdb)id=(?:tt[0-9]{5,10}|[0-9]{1,10})(?![^\W_])", re.I)
_ID_FORMS = {
    "imdb": re.compile(r"tt[0-9]{5,10}"),
    "tmdb": re.compile(r"[0-9]{1,10}"),
    "tvdb": re.compile(r"[0-9]{1,10}"),
}


def ids_strip(text: str) -> str:
    """The name without its id tags (they are not part of a title)."""
    if "[" in text or "{" in text or "(tt" in text:
        text = _ID_TAG.sub(" ", text)
    if "id=" in text.lower():
        text = _BARE_ID.sub(" ", text)
    return text


def name_ids(names: list[str]) -> dict[str, str]:
    """Provider ids tagged in these names, the first name's winning: {"tmdb": "603", "imdb": "tt0133093"}."""
    ids: dict[str, str] = {}
    for name in names:
        if "[" not in name and "{" not in name and "(tt" not in name and "id=" not in name.lower():
            continue  # most names carry no id: skip the pattern
        for m in _ID_VALUE.finditer(name):
            source = (m.group(1) or m.group(4) or "imdb").lower()
            value = (m.group(2) or m.group(3) or m.group(5) or "").strip().lower()
            if _ID_FORMS[source].fullmatch(value) and (source != "tmdb" or int(value) > 0):
                ids.setdefault(source, value)
    return ids
