"""Read Kodi/Jellyfin NFO files safely: movie, tvshow and episode details, or the ids in a URL-only NFO.

Parsing goes through defusedxml with entity declarations forbidden, so nothing is expanded or fetched.
Bytes that do not decode in the declared encoding become U+FFFD instead of failing the whole file:
NFO writers often mislabel Latin-1 text as UTF-8 and the rest of the file is still worth having.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import xml.etree.ElementTree as ET  # Element and ParseError only; parsing goes through defusedxml
from dataclasses import dataclass, field
from datetime import date
from xml.parsers.expat import errors as expat_errors

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring

KINDS = {"movie": "movie", "tvshow": "tvshow", "episodedetails": "episode"}
_INT_MAX = 2**31 - 1

_JUNK_AFTER_ROOT = expat_errors.codes[expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]
# [^<>] keeps every match local, so hostile input cannot make these scans quadratic.
_XML_DECLARATION = re.compile(r"<\?xml\s[^<>]*\?>")
_XML_START = re.compile(r"<\?xml\s|<!DOCTYPE\b|<(?:movie|tvshow|episodedetails)\b")
_ROOT_START = re.compile(r"<(?:movie|tvshow|episodedetails)[\s/>]")
_ROOT_END = re.compile(r"</(?:movie|tvshow|episodedetails)\s*>")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_WRAPPER = "revenge-nfo"

_URL_IDS = (
    ("imdb", re.compile(r"imdb\.com/(?:[a-z]{2}/)?title/(tt\d{5,10})", re.IGNORECASE)),
    ("tmdb", re.compile(r"themoviedb\.org/(?:movie|tv)/(\d{1,10})", re.IGNORECASE)),
    (
        "tvdb",
        re.compile(r"thetvdb\.com/(?:\?[^\s<>]{0,80}?\bid=|dereferrer/series/|series/)(\d{1,10})\b", re.IGNORECASE),
    ),
)
_ID_TYPES = {"imdb": "imdb", "tmdb": "tmdb", "themoviedb": "tmdb", "tvdb": "tvdb", "thetvdb": "tvdb"}
_ID_TAGS = {"tmdbid": "tmdb", "imdbid": "imdb", "imdb_id": "imdb", "imdb": "imdb", "tvdbid": "tvdb"}
_IMDB = re.compile(r"tt\d{5,10}")
_DIGITS = re.compile(r"\d{1,10}")
_INT = re.compile(r"-?\d{1,12}")
_HOURS = re.compile(r"(\d{1,3})\s*h(?:ours?|rs?)?\b\s*(?:(\d{1,2})\s*m)?", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"(\d{4})(?:\b|-)")


class NfoError(Exception):
    """An NFO that cannot be used; str(exc) is a short human reason."""


@dataclass(slots=True)
class NfoData:
    """What an NFO says; `kind` is "movie", "tvshow", "episode", or "" for a file holding only links."""

    kind: str
    title: str = ""
    original_title: str = ""
    sort_title: str = ""
    year: int | None = None
    plot: str = ""
    tagline: str = ""
    runtime: int | None = None
    certification: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    genres: list[str] = field(default_factory=list)
    studios: list[str] = field(default_factory=list)
    season: int | None = None
    episode: int | None = None
    episode_end: int | None = None
    aired: date | None = None
    premiered: date | None = None


def parse_nfo(path: str | os.PathLike, *, max_bytes: int = 2_000_000) -> NfoData:
    """Parse the NFO file at `path`; files larger than `max_bytes` are refused unread."""
    try:
        # O_NONBLOCK: a FIFO named movie.nfo must not hang the scan waiting for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise NfoError("not a regular file")
            if st.st_size > max_bytes:
                raise NfoError(f"file too large ({st.st_size} bytes, at most {max_bytes} allowed)")
            # The file may grow between stat and read; read one byte more than allowed to notice.
            with open(fd, "rb", closefd=False) as handle:
                data = handle.read(max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise NfoError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise NfoError(f"file too large (more than {max_bytes} bytes)")
    return parse_nfo_bytes(data)


def parse_nfo_bytes(data: bytes) -> NfoData:
    """Parse NFO content; raises NfoError, and nothing else, when it is unusable."""
    try:
        return _parse(data)
    except NfoError:
        raise
    except Exception as exc:
        # The parser and codecs can fail in ways nobody lists; a scan must only ever see NfoError.
        raise NfoError(f"unreadable NFO ({type(exc).__name__})") from exc


def _parse(data: bytes) -> NfoData:
    text = _CONTROL_CHARS.sub("", _decode(data)).lstrip("\ufeff \t\r\n")
    if not text.strip():
        raise NfoError("empty file")
    start = 0 if text.startswith("<") else _xml_start(text)
    if start is None:
        ids = _ids_from_urls(text)
        if not ids:
            raise NfoError("not an NFO (no XML and no known links)")
        return NfoData(kind="", ids=ids)
    before, text = text[:start], text[start:]
    # Kodi tolerates a link after the XML ("</movie>\nhttps://www.imdb.com/title/tt…"); so do we.
    ends = list(_ROOT_END.finditer(text))
    after = ""
    if ends:
        after, text = text[ends[-1].end() :], text[: ends[-1].end()]
    roots = _roots(text)
    kind = KINDS.get(_local(roots[0].tag))
    if kind is None:
        raise NfoError(f"not an NFO (root <{_local(roots[0].tag)[:40]}>)")
    result = _read(roots[0], kind)
    if kind == "episode" and len(roots) > 1:
        numbers = [_int(_text(r, "episode")) for r in roots if _local(r.tag) == "episodedetails"]
        numbers = [n for n in numbers if n is not None and n >= 0]
        if len(numbers) > 1:
            result.episode, result.episode_end = numbers[0], numbers[-1]
    for key, value in _ids_from_urls(before + "\n" + after).items():
        result.ids.setdefault(key, value)
    return result


def _xml_start(text: str) -> int | None:
    found = _XML_START.search(text)
    return found.start() if found else None


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", "replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", "replace")
    declared = _DECLARED_ENCODING.match(data.lstrip())
    encoding = "utf-8"
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            if getattr(codecs.lookup(name), "_is_text_encoding", True):
                encoding = name
        except LookupError:
            pass  # An unknown label: UTF-8 is what such files nearly always turn out to be.
    try:
        return data.decode(encoding, "replace")
    except Exception:
        return data.decode("utf-8", "replace")


def _roots(text: str) -> list[ET.Element]:
    """The root elements: one for ordinary NFO files, several for Kodi multi-episode files."""
    try:
        return [_fromstring(text)]
    except ET.ParseError as exc:
        if exc.code != _JUNK_AFTER_ROOT:
            raise NfoError(f"malformed XML: {_short(exc)}") from None
        junk = f"malformed XML: {_short(exc)}"
    # The prolog passed the entity checks above; the roots after it need a common parent to parse as one.
    first = _ROOT_START.search(text)
    if first is None:
        raise NfoError(junk)
    body = _XML_DECLARATION.sub("", text[first.start() :])
    try:
        wrapper = _fromstring(f"<{_WRAPPER}>{body}</{_WRAPPER}>")
    except ET.ParseError as exc:
        raise NfoError(f"malformed XML: {_short(exc)}") from None
    roots = list(wrapper)
    if not roots:
        raise NfoError("malformed XML: no root element")
    return roots


def _fromstring(text: str) -> ET.Element:
    try:
        return defused_fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        if getattr(exc, "sysid", None) or getattr(exc, "pubid", None) or isinstance(exc, ExternalReferenceForbidden):
            raise NfoError("external entities are not allowed") from None
        raise NfoError("entity expansion is not allowed") from None
    except DefusedXmlException as exc:
        raise NfoError(f"unsafe XML: {type(exc).__name__}") from None


def _short(exc: ET.ParseError) -> str:
    return str(exc)[:200]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read(root: ET.Element, kind: str) -> NfoData:
    result = NfoData(
        kind=kind,
        title=_text(root, "title"),
        original_title=_text(root, "originaltitle"),
        sort_title=_text(root, "sorttitle"),
        plot=_text(root, "plot") or _text(root, "outline"),
        tagline=_text(root, "tagline"),
        runtime=_runtime(_text(root, "runtime")),
        certification=_certification(_text(root, "mpaa") or _text(root, "certification")),
        ids=_ids(root, kind),
        genres=_split(_texts(root, "genre"), re.compile(r"\s*[/|]\s*")),
        studios=_split(_texts(root, "studio"), re.compile(r"\s+/\s+")),
    )
    if kind == "episode":
        result.season = _non_negative(_int(_text(root, "season")))
        result.episode = _non_negative(_int(_text(root, "episode")))
    result.aired = _date(_text(root, "aired"))
    premiered = _text(root, "premiered") or _text(root, "releasedate")
    result.premiered = _date(premiered)
    year = _int(_text(root, "year"))
    if year is None or not 0 < year < 10_000:
        year = _year(premiered) or _year(_text(root, "aired"))
    result.year = year
    return result


def _texts(root: ET.Element, tag: str) -> list[str]:
    """Direct children only: <actor><name> and <set><title> must not leak into the item's own fields."""
    values = []
    for child in root:
        if _local(child.tag) == tag:
            value = "".join(child.itertext()).strip()
            if value:
                values.append(value)
    return values


def _text(root: ET.Element, tag: str) -> str:
    values = _texts(root, tag)
    return values[0] if values else ""


def _split(values: list[str], separator: re.Pattern[str]) -> list[str]:
    parts: list[str] = []
    seen: set[str] = set()
    for value in values:
        for part in separator.split(value):
            part = part.strip()
            if part and part.casefold() not in seen:
                seen.add(part.casefold())
                parts.append(part)
    return parts


def _int(value: str) -> int | None:
    """The first integer in `value` ("120 min", " 2010 "), or None; values that overflow a database int too."""
    found = _INT.search(value or "")
    if not found:
        return None
    number = int(found.group())
    return number if -_INT_MAX <= number <= _INT_MAX else None


def _non_negative(number: int | None) -> int | None:
    # Kodi writes -1 for "unknown".
    return number if number is not None and number >= 0 else None


def _runtime(value: str) -> int | None:
    hours = _HOURS.search(value or "")
    if hours:
        return int(hours.group(1)) * 60 + int(hours.group(2) or 0)
    return _non_negative(_int(value))


def _certification(value: str) -> str:
    if value[:6].lower() == "rated ":
        value = value[6:].strip()
    return value


def _date(value: str) -> date | None:
    found = _DATE.match(value.strip()) if value else None
    if not found:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _year(value: str) -> int | None:
    found = _YEAR.match(value.strip()) if value else None
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def _ids(root: ET.Element, kind: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    for child in root:
        tag = _local(child.tag)
        value = "".join(child.itertext()).strip()
        if not value:
            continue
        if tag == "uniqueid":
            kind_attr = (child.get("type") or "").strip().lower()
            key = _ID_TYPES.get(kind_attr, kind_attr) or ("imdb" if _IMDB.fullmatch(value) else "")
            _put(ids, key, value)
    for child in root:
        tag = _local(child.tag)
        value = "".join(child.itertext()).strip()
        if tag in _ID_TAGS:
            _put(ids, _ID_TAGS[tag], value)
        elif tag == "id" and value:
            # Kodi's <id> is an IMDb id, or the scraper's own number: TMDB for movies, TheTVDB for shows.
            key = "imdb" if _IMDB.search(value) else ("tmdb" if kind == "movie" else "tvdb")
            _put(ids, key, value)
    return ids


def _put(ids: dict[str, str], key: str, value: str) -> None:
    """Add a checked id unless one is already known; imdb must look like tt…, tmdb and tvdb like numbers."""
    if not key or key in ids or not value:
        return
    if key == "imdb":
        found = _IMDB.search(value)
        clean = found.group() if found else ""
    elif key in ("tmdb", "tvdb"):
        clean = value if _DIGITS.fullmatch(value) and int(value) > 0 else ""
    else:
        clean = value[:100] if len(key) <= 32 else ""
    if clean:
        ids[key] = clean


def _ids_from_urls(text: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    for key, pattern in _URL_IDS:
        found = pattern.search(text)
        if found:
            ids[key] = found.group(1)
    return ids
