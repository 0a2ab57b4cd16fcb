"""Parse media paths (relative to a library root) into titles, years, episode numbers and quality tags.

Folder-aware: a file with no usable title of its own takes it from the movie or show folder above it.
Pure Python, no Django; every pattern is compiled once at import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from apps.scanning.naming_ids import ids_strip, name_ids
from apps.scanning.naming_tags import (
    CODEC,
    EDITION,
    EXTRA_FOLDERS,
    HDR,
    MISC,
    RESOLUTION,
    SOURCE,
    STRIP_EXTENSIONS,
    STRONG,
    TAG_RE,
    THREE_D,
    VIDEO_EXTENSIONS,
    Tags,
    scan_tags,
    split_extra_suffix,
)

__all__ = ["VIDEO_EXTENSIONS", "ParsedName", "is_video_name", "name_ids", "parse_path"]


@dataclass(frozen=True, slots=True)
class ParsedName:
    """What a media path says about its file; fields that do not apply stay empty or None."""

    kind: str  # "movie" | "episode" | "extra" | "unknown"
    title: str  # movie title, or the show title for episodes
    year: int | None
    edition: str = ""
    part: int | None = None
    version: str = ""
    extra_type: str = ""
    is_3d: bool = False
    season: int | None = None
    episode: int | None = None
    episode_end: int | None = None
    absolute: int | None = None
    air_date: date | None = None
    episode_title: str = ""
    resolution: str = ""
    source: str = ""
    video_codec: str = ""
    hdr: str = ""
    release_group: str = ""
    # Provider ids written in the name ("{tmdb-603}", "[imdbid-tt0133093]"): {"tmdb": "603", "imdb": "tt0133093"}.
    ids: dict[str, str] = field(default_factory=dict)


UNKNOWN = ParsedName(kind="unknown", title="", year=None)

_W0 = r"(?<![^\W_])"  # start of a word: "." and "_" separate words in release names
_W1 = r"(?![^\W_])"

_YEAR = re.compile(_W0 + r"(?:19|20)[0-9]{2}" + _W1)
_EDITION_TAG = re.compile(r"\{edition-([^}]*)\}", re.I)
_SITE_PREFIX = re.compile(r"^\s*\[?\s*www\.[^\s\]]+\.(?:com|org|net|to|se|ru|me|cc|io|tv|info)\s*\]?\s*-?\s*", re.I)
_LEADING_GROUP = re.compile(r"^\s*\[([^\]]{1,60})\]\s*[-._]?\s*")
_TRAILING_JUNK = re.compile(
    r"(?:\s*\[[^\]]*\])+\s*$|-(?:obfuscated|postbot|xpost|scrambled|asrequested|rakuv[0-9]*)$", re.I
)
_SCENE_GROUP = re.compile(r"(?<=[^\s-])-([A-Za-z0-9][A-Za-z0-9_]*(?:\.[A-Za-z]{2,3})?)$")
_STACK = re.compile(_W0 + r"(?:(?:cd|part|pt|dis[ck])[ ._-]*([0-9]{1,2})|dvd[ ._-]*([1-4]))" + _W1, re.I)
# "Movie (2021) - 4K" or "Movie (2021) - [1080p]": the label, without brackets wrapping all of it.
_VERSION_AFTER_YEAR = re.compile(r"[)\]]?\s+-\s+(?:\[([^\[\]]+)\]|(\S.*?))\s*$")
_VERSION_AFTER_FOLDER = re.compile(r"\s+-\s+(?:\[([^\[\]]+)\]|(\S.*?))\s*$")
_GENERIC_STEM = re.compile(
    r"^(?:movie|video|film|feature|main|title|index|video_ts|vts_[0-9]{2}_[0-9]|title_?t?[0-9]{1,3}|t[0-9]{2}"
    r"|0[0-9]*|[0-9]{5,}|[0-9a-f]{12,}|(?=[a-z]*[0-9])[a-z0-9]{20,})$",
    re.I,
)
_STRUCTURAL_FOLDER = re.compile(
    r"^(?:bdmv|stream|video_ts|audio_ts|playlist|clipinf|backup|certificate|jar|meta|bdjo|auxdata)$", re.I
)
_SEASON_FOLDER = re.compile(
    r"^(?:season|series|saison|staffel|temporada|stagione|seizoen|sezon|s)[ ._-]*([0-9]{1,4})(?:\s*[(\[].*)?$"
    r"|^(specials?)$",
    re.I,
)
_SEASON_IN_NAME = re.compile(
    _W0 + r"(?:(?:season|series|saison|staffel|temporada)[ ._-]*([0-9]{1,4})|s([0-9]{1,2}))" + _W1, re.I
)
# Episode markers, tried in this order; the first that matches wins.
_SXE = re.compile(
    _W0 + r"s([0-9]{1,4})[ ._-]?e([0-9]{1,4})((?:-?e[0-9]{1,4}|-s[0-9]{1,4}e[0-9]{1,4}|-[0-9]{1,4})*)" + _W1
    + r"|" + _W0 + r"season[ ._-]*([0-9]{1,4})[ ._-]*episode[ ._-]*([0-9]{1,4})" + _W1,
    re.I,
)  # fmt: skip
_NXN = re.compile(_W0 + r"([0-9]{1,2})x([0-9]{2,3})((?:(?:-[0-9]{1,2}x|x|-)[0-9]{2,3})*)" + _W1, re.I)
_DATE = re.compile(_W0 + r"((?:19|20)[0-9]{2})[ ._-](0[1-9]|1[0-2])[ ._-](0[1-9]|[12][0-9]|3[01])" + _W1)
_DASH_NUMBER = re.compile(r"(?:^|\s)-\s+([0-9]{1,4})(?:v[0-9]{1,2})?(?=$|[\s\[(])")
_EPISODE_WORD = re.compile(_W0 + r"(?:episode|ep|e)[ ._-]*([0-9]{1,4})" + _W1, re.I)
_BARE_NUMBER = re.compile(r"(?:^|(?<=\s))([0-9]{1,4})(?:v[0-9]{1,2})?(?=\s*(?:[\[(]|$))")
_LEADING_NUMBER = re.compile(r"^([0-9]{1,3})(?:v[0-9])?(?=$|[\s._-])(?![._][0-9])")
_SEASON_SUFFIX = re.compile(r"(?:^|\s)(?:s|season\s*)([0-9]{1,2})$", re.I)
_DIGITS = re.compile(r"[0-9]+")
_BRACKETED = re.compile(r"\[[^\]]*\]|\{[^}]*\}|\(\s*\)")
# A run of single letters with dots ("S.H.I.E.L.D.") is an acronym; any other dot between words is a space.
_DOT = re.compile(_W0 + r"((?:[^\W\d_]\.){2,}(?:[^\W\d_]" + _W1 + r")?)|(?<!\.)\.(?=[^\s.])")
_ACRONYM_END = re.compile(_W0 + r"[^\W\d_]\.$")
_SEPARATED = re.compile(r"[._-]").search
_MAX_NAME = 1024
_LEFT_EDGE = " -_.,:;~+|/\\)]}"
_RIGHT_EDGE = " -_,:;~+|/\\([{"


def is_video_name(name: str) -> bool:
    """True when the file name has a video extension (macOS "._" resource files excluded)."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return dot > 0 and not base.startswith("._") and base[dot:].lower() in VIDEO_EXTENSIONS


def parse_path(relative_path: str, *, library_kind: str) -> ParsedName:
    """Parse a "/"-separated path relative to the library root; library_kind is "movies" or "shows"."""
    try:
        # Real names stop at 255 bytes; capping hostile ones keeps the few quadratic patterns cheap.
        names = str(relative_path).replace("\\", "/").split("/")
        parts = [p[:_MAX_NAME] for p in names if p.strip() and p not in (".", "..")]
        if not parts:
            return UNKNOWN
        if library_kind == "shows":
            parsed = _parse_show_path(parts)
            # A show's ids name the show: they sit on its folder (or on the file when it has no folder).
            id_names = parts[:1] if len(parts) > 1 else parts
        else:
            parsed = _parse_movie_path(parts)
            id_names = parts[::-1]  # the file's own tag before its folder's
        ids = name_ids(id_names) if parsed.kind != "unknown" else {}
        return replace(parsed, ids=ids) if ids else parsed
    except Exception:  # a scan must survive any name; an unparseable one is just unknown
        return UNKNOWN


# ---------------------------------------------------------------------------------------------- shared helpers


def _prepare(text: str) -> tuple[str, str, str]:
    """Strip id tags, site prefixes and a leading "[Group]"; return (text, {edition-X} value, group)."""
    edition = ""
    if "{" in text:
        m = _EDITION_TAG.search(text)
        if m:
            edition = " ".join(m.group(1).split())
            text = text[: m.start()] + " " + text[m.end() :]
    text = ids_strip(text)
    if text[:4].lower() == "www." or text[:1] == "[":
        text = _SITE_PREFIX.sub("", text)
    group = ""
    m = _LEADING_GROUP.match(text)
    if m:
        inner = m.group(1).strip()
        if not _YEAR.fullmatch(inner) and not TAG_RE.fullmatch(inner):
            group = inner
        text = text[m.end() :]
    return text.strip(), edition, group


def _scene_group(text: str, tags: Tags) -> str:
    """The "-GROUP" ending a release name, when a quality tag comes before it."""
    if "-" not in text:
        return ""
    text = _TRAILING_JUNK.sub("", _TRAILING_JUNK.sub("", text))
    m = _SCENE_GROUP.search(text)
    if not m or m.start() <= tags.first_strong or m.group(1).isdigit():
        return ""
    inside = m.start(1)
    if any(s <= inside < e for s, e, _c, _v in tags.spans):
        return ""
    return m.group(1)


def _dot_to_space(m: re.Match[str]) -> str:
    return m.group(1) + " " if m.group(1) else " "


def _clean_title(raw: str) -> str:
    """Turn a slice of a file name into a display title: separators to spaces, edges trimmed."""
    s = raw.replace("_", " ")
    if "[" in s or "{" in s or "(" in s:
        s = _BRACKETED.sub(" ", s)
    if "." in s:
        s = _DOT.sub(_dot_to_space, s)
    s = " ".join(s.split()).lstrip(_LEFT_EDGE)
    while s:
        s = s.rstrip(_RIGHT_EDGE)
        if s.endswith(".") and not _ACRONYM_END.search(s):
            s = s[:-1]
            continue
        break
    if s.endswith(")") and "(" not in s:
        s = s[:-1].rstrip(_RIGHT_EDGE)
    return s


def _match_key(title: str) -> str:
    """Title reduced to letters and digits, so "Marvel's Agents of S.H.I.E.L.D." matches "Marvels Agents of SHIELD"."""
    text = unicodedata.normalize("NFKD", title.casefold().replace("&", "and"))
    return "".join(ch for ch in text if ch.isalnum())


def _year_before(text: str, limit: int, trailing: bool = False) -> re.Match[str] | None:
    """The last plausible year in text[:limit] with some title before it ("1917 (2019)" -> 2019)."""
    found = None
    for m in _YEAR.finditer(text, 0, limit):
        if m.start() > 0 and any(ch.isalnum() for ch in text[: m.start()]):
            found = m
    if found and trailing and any(ch.isalnum() for ch in text[found.end() : limit]):
        return None
    return found


def _split_stem(filename: str) -> str:
    dot = filename.rfind(".")
    if dot > 0 and filename[dot:].lower() in STRIP_EXTENSIONS:
        return filename[:dot]
    return filename


def _folder_key(name: str) -> str:
    return name.lower().replace(" ", "").replace("_", "").replace("-", "").replace(".", "")


def _split_extras(parts: list[str]) -> tuple[list[str], str, str, bool]:
    """(folders above any extras folder, stem without extras suffix, extra type, whether an extras folder held it)."""
    folders, stem = parts[:-1], _split_stem(parts[-1])
    folder_type = ""
    # Extras folders count below the library root only: a top-level "Shorts" folder is a collection.
    for i in range(len(folders) - 1, 0, -1):
        folder_type = EXTRA_FOLDERS.get(_folder_key(folders[i]), "")
        if folder_type:
            folders = folders[:i]
            break
    stem, suffix_type = split_extra_suffix(stem)
    # A file named "trailer" inside a catch-all "Extras" folder is still a trailer.
    extra_type = suffix_type if suffix_type and folder_type in ("", "other") else folder_type
    return folders, stem, extra_type, bool(folder_type)


def _quality(*tag_sets: Tags) -> dict[str, str]:
    """Quality values from the first tag set that has each one (the file name before its folder)."""
    merged: dict[str, str] = {}
    for tags in tag_sets:
        for key, value in tags.values.items():
            merged.setdefault(key, value)
    return merged


# ------------------------------------------------------------------------------------------------------ movies


@dataclass(slots=True)
class _Movie:
    title: str = ""
    year: int | None = None
    edition: str = ""
    explicit_edition: str = ""
    part: int | None = None
    version: str = ""
    group: str = ""
    scene: bool = False  # a dotted or tagged release name rather than a tidy "Title (Year)"
    paren_year: bool = False
    tags: Tags = field(default_factory=Tags)


def _label(m: re.Match[str]) -> str:
    return (m.group(1) or m.group(2)).strip()


def _stack_number(m: re.Match[str]) -> int:
    return int(m.group(1) or m.group(2))


def _parse_movie_name(name: str) -> _Movie:
    """Title, year, edition, stack part, version label and tags of one movie file stem or folder name."""
    text, explicit_edition, group = _prepare(name)
    tags = scan_tags(text)
    movie = _Movie(explicit_edition=explicit_edition, tags=tags)
    year_m = _year_before(text, tags.first_strong)
    label_start = len(text)
    if year_m:
        movie.year = int(year_m.group())
        movie.paren_year = text[year_m.start() - 1] in "([" and text[year_m.end() : year_m.end() + 1] in ")]"
        title_end = min(year_m.start(), tags.first({THREE_D}, 1, year_m.start()) or len(text))
        after = year_m.end()
        m = _VERSION_AFTER_YEAR.match(text, after)
        if m:
            label_start = m.start(m.lastindex or 0)
            label = _label(m)
            stack = _STACK.fullmatch(label)
            if stack:
                movie.part = _stack_number(stack)
            else:
                movie.version = label
    else:
        stack = _STACK.search(text, 1)
        cuts = [tags.first_strong, tags.first({THREE_D, EDITION, MISC}) or len(text)]
        if stack:
            cuts.append(stack.start())
        title_end = after = min(cuts)
    if movie.part is None:
        stack = _STACK.search(text, after, label_start)
        if stack and stack.start() >= title_end:
            movie.part = _stack_number(stack)
    edition_at = tags.first({EDITION}, max(after, 1), label_start)
    if edition_at is not None:
        movie.edition = next(v for s, _e, c, v in tags.spans if s == edition_at and c == EDITION)
    movie.title = _clean_title(text[:title_end])
    movie.group = group or _scene_group(text, tags)
    stem_title = text[:title_end]
    # No spaces but dots, dashes or underscores: a release or obfuscated name ("spk-drive"), not a tidy title.
    unspaced = " " not in stem_title and bool(_SEPARATED(stem_title))
    movie.scene = bool(movie.group) or tags.first_strong < len(text) or unspaced
    return movie


@lru_cache(maxsize=4096)
def _movie_folder(name: str) -> _Movie:
    # Cached: every file in a folder asks about the same folder name.
    return _parse_movie_name(name)


def _folder_title_wins(file: _Movie, folder: _Movie, generic: bool) -> bool:
    """Whether the folder's title and year should replace the file name's."""
    if not folder.title:
        return False
    if generic or not file.title:
        return True
    if _match_key(file.title) == _match_key(folder.title) and file.year in (None, folder.year):
        return True
    if folder.year is None:
        return False
    if file.year is None and file.scene:
        return True
    # "Blade Runner 2049 (2017)/Blade.Runner.2049.1080p.BluRay.x264-GRP.mkv": the tidy folder knows better.
    tidy = folder.paren_year and not folder.scene
    return tidy and file.scene and (file.year in (None, folder.year) or str(file.year) in folder.title)


def _parse_movie_path(parts: list[str]) -> ParsedName:
    folders, stem, extra_type, in_extras_folder = _split_extras(parts)

    part = None
    structural = False
    folder_name = ""
    for name in reversed(folders):
        stack = _STACK.fullmatch(name.strip())
        if stack or _STRUCTURAL_FOLDER.match(name.strip()):
            structural = True
            if stack and part is None:
                part = _stack_number(stack)
            continue
        folder_name = name
        break

    file = _parse_movie_name(stem)
    folder = _movie_folder(folder_name) if folder_name else _Movie()
    generic_stem = not stem.strip() or bool(_GENERIC_STEM.match(stem.strip()))
    generic = generic_stem or structural or in_extras_folder
    version = file.version
    prefix_version = ""
    if folder_name and stem.lower().startswith(folder_name.lower()) and len(stem) > len(folder_name):
        m = _VERSION_AFTER_FOLDER.match(stem, len(folder_name))
        if m:
            stack = _STACK.fullmatch(_label(m))
            if stack:
                part = part or _stack_number(stack)
            else:
                prefix_version = version = version or _label(m)

    own_edition = file.explicit_edition or ("" if prefix_version else file.edition)
    if _folder_title_wins(file, folder, generic):
        title, year = folder.title, folder.year or (None if generic else file.year)
        edition = own_edition or folder.explicit_edition or folder.edition
    elif generic_stem:
        title, year, edition = "", None, ""
    else:
        title, year, edition = file.title, file.year, own_edition
    if not title:
        return ParsedName(kind="unknown", title="", year=None, extra_type=extra_type)
    quality = _quality(file.tags, folder.tags)
    return ParsedName(
        kind="extra" if extra_type else "movie",
        title=title,
        year=year,
        edition=edition,
        part=file.part if file.part is not None else part,
        version=version,
        extra_type=extra_type,
        is_3d=file.tags.is_3d or folder.tags.is_3d,
        resolution=quality.get(RESOLUTION, ""),
        source=quality.get(SOURCE, ""),
        video_codec=quality.get(CODEC, ""),
        hdr=quality.get(HDR, ""),
        release_group=file.group or folder.group,
    )


# ------------------------------------------------------------------------------------------------------- shows


@dataclass(slots=True)
class _Episode:
    found: bool = False
    title: str = ""
    year: int | None = None
    season: int | None = None
    episode: int | None = None
    episode_end: int | None = None
    absolute: int | None = None
    air_date: date | None = None
    episode_title: str = ""
    group: str = ""
    tags: Tags = field(default_factory=Tags)


_Marker = tuple[int, int, int | None, int | None, int | None, int | None, date | None]
_EPISODE_TITLE_CUT = STRONG | {THREE_D, MISC}


def _range_end(first: int, numbers: list[str]) -> int | None:
    end = int(numbers[-1]) if numbers else None
    return end if end is not None and end > first else None


def _is_year(number: str) -> bool:
    return len(number) == 4 and 1900 <= int(number) <= 2099


def _find_marker(text: str, anime: bool, leading_ok: bool) -> _Marker | None:
    """(start, end, season, episode, episode_end, absolute, air_date) of the episode marker in a name."""
    m = _SXE.search(text)
    if m:
        if m.group(4):
            return m.start(), m.end(), int(m.group(4)), int(m.group(5)), None, None, None
        first = int(m.group(2))
        return m.start(), m.end(), int(m.group(1)), first, _range_end(first, _DIGITS.findall(m.group(3))), None, None
    m = _NXN.search(text)
    if m:
        first = int(m.group(2))
        return m.start(), m.end(), int(m.group(1)), first, _range_end(first, _DIGITS.findall(m.group(3))), None, None
    for m in _DATE.finditer(text):
        try:
            aired = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        return m.start(), m.end(), None, None, None, None, aired
    for m in _DASH_NUMBER.finditer(text):
        if not _is_year(m.group(1)):
            return m.start(), m.end(), None, None, None, int(m.group(1)), None
    m = _EPISODE_WORD.search(text)
    if m:
        return m.start(), m.end(), None, int(m.group(1)), None, None, None
    if anime:
        for m in _BARE_NUMBER.finditer(text):
            if not _is_year(m.group(1)):
                return m.start(), m.end(), None, None, None, int(m.group(1)), None
    if leading_ok:
        m = _LEADING_NUMBER.match(text)
        if m:
            return 0, m.end(), None, int(m.group(1)), None, None, None
    return None


def _show_title(region: str) -> tuple[str, int | None]:
    """Show title and year from the text before an episode marker ("Doctor.Who.2005." -> "Doctor Who", 2005)."""
    year_m = _year_before(region, len(region), trailing=True)
    if year_m:
        return _clean_title(region[: year_m.start()]), int(year_m.group())
    return _clean_title(region), None


def _parse_episode_name(stem: str, leading_ok: bool) -> _Episode:
    """Show title, episode marker, episode title and tags of one file stem; leading_ok allows "02 - Title"."""
    text, _edition, group = _prepare(stem)
    tags = scan_tags(text)
    ep = _Episode(tags=tags, group=group or _scene_group(text, tags))
    marker = _find_marker(text, bool(group), leading_ok)
    if marker is None:
        end = min(tags.first_strong, tags.first({THREE_D, MISC}) or len(text))
        ep.title, ep.year = _show_title(text[:end])
        return ep
    start, end, ep.season, ep.episode, ep.episode_end, ep.absolute, ep.air_date = marker
    ep.found = True
    prefix = text[:start]
    if ep.absolute is not None:
        # "[SubsPlease] Show S2 - 05": a season on the title makes the number an episode of that season.
        m = _SEASON_SUFFIX.search(prefix.rstrip())
        if m:
            ep.season, ep.episode, ep.absolute = int(m.group(1)), ep.absolute, None
            prefix = prefix[: m.start()]
    cut = tags.first(_EPISODE_TITLE_CUT, 1, start)
    ep.title, ep.year = _show_title(prefix[:cut] if cut is not None else prefix)
    cut_tags = _EPISODE_TITLE_CUT | {EDITION} if " " not in text else _EPISODE_TITLE_CUT
    stop = tags.first(cut_tags, end)
    ep.episode_title = _clean_title(text[end:stop])
    return ep


def _season_of_folder(name: str) -> int | None:
    m = _SEASON_FOLDER.match(name.strip())
    if m:
        return 0 if m.group(2) else int(m.group(1))
    m = _SEASON_IN_NAME.search(name)
    if m:
        return int(m.group(1) or m.group(2))
    return None


@lru_cache(maxsize=4096)
def _show_folder(name: str) -> tuple[str, int | None, int | None]:
    """(title, year, season) of a top-level show folder; cached since every episode asks about it."""
    m = _SEASON_FOLDER.match(name.strip())
    if m:
        return "", None, 0 if m.group(2) else int(m.group(1))
    text, _edition, _group = _prepare(name)
    tags = scan_tags(text)
    end = min(tags.first_strong, tags.first({THREE_D, MISC}) or len(text))
    season = None
    marker = _SEASON_IN_NAME.search(text, 1, end) or _SXE.search(text, 1, end)
    if marker:
        end = marker.start()
        season = int(marker.group(1) or marker.group(2)) if marker.re is _SEASON_IN_NAME else None
    title, year = _show_title(text[:end])
    return title, year, season


def _parse_show_path(parts: list[str]) -> ParsedName:
    folders, stem, extra_type, in_extras_folder = _split_extras(parts)

    show_title, show_year, folder_season = _show_folder(folders[0]) if folders else ("", None, None)
    for name in reversed(folders[1:]):
        found_season = _season_of_folder(name)
        if found_season is not None:
            folder_season = found_season
            break

    ep = _parse_episode_name(stem, leading_ok=bool(folders))
    if ep.absolute is not None and ep.season is None and folder_season is not None:
        # "Show/Season 1/Show - 05.mkv" is episode 5 of that season, not absolute number 5.
        ep.episode, ep.absolute = ep.absolute, None
    episode_title = ep.episode_title
    if in_extras_folder or (extra_type and show_title):
        title, year = show_title or ep.title, show_year if show_title else ep.year
    elif not ep.title or (show_title and not ep.found):
        title, year = show_title, show_year
        if ep.title and not ep.found:
            episode_title = ep.title
    elif show_title and _match_key(ep.title) == _match_key(show_title):
        title, year = show_title, ep.year or show_year
    else:
        title, year = ep.title, ep.year
    if not title:
        return ParsedName(kind="unknown", title="", year=None, extra_type=extra_type)
    values = ep.tags.values
    return ParsedName(
        kind="extra" if extra_type else "episode",
        title=title,
        year=year,
        extra_type=extra_type,
        is_3d=ep.tags.is_3d,
        season=ep.season if ep.season is not None else folder_season,
        episode=ep.episode,
        episode_end=ep.episode_end,
        absolute=ep.absolute,
        air_date=ep.air_date,
        episode_title=episode_title,
        resolution=values.get(RESOLUTION, ""),
        source=values.get(SOURCE, ""),
        video_codec=values.get(CODEC, ""),
        hdr=values.get(HDR, ""),
        release_group=ep.group,
    )
