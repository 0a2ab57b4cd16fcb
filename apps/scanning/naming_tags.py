"""Tables for naming.py: video extensions, quality and edition tags, extras folders and suffixes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

VIDEO_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".mkv", ".mp4", ".m4v", ".avi", ".mov", ".wmv", ".ts", ".m2ts", ".mts", ".webm", ".mpg", ".mpeg", ".flv",
        ".ogv", ".3gp", ".vob", ".divx", ".rmvb", ".asf", ".f4v",
    }
)  # fmt: skip

# Extensions stripped from a file name before parsing; anything else may be part of the name ("Movie.2010").
STRIP_EXTENSIONS: frozenset[str] = VIDEO_EXTENSIONS | {".iso", ".img", ".strm", ".mpls", ".ifo", ".bup"}

RESOLUTION = "resolution"
SOURCE = "source"
CODEC = "video_codec"
HDR = "hdr"
AUDIO = "audio"
THREE_D = "3d"
EDITION = "edition"
MISC = "misc"

# Strong tags close the region where a movie's year may appear; weak ones only end a title.
STRONG: frozenset[str] = frozenset({RESOLUTION, SOURCE, CODEC, HDR, AUDIO})

# (category, normalised value, pattern, case sensitive). A spelling must come before any shorter spelling that is
# its prefix, since the first alternative followed by a word boundary wins. Case-sensitive entries are the ones
# that are also ordinary words ("Cam", "Web", "French").
_TAGS: tuple[tuple[str, str, str, bool], ...] = (
    (RESOLUTION, "2160p", r"2160p|4k|uhd|3840x2160", False),
    (RESOLUTION, "1080p", r"1080p|1920x1080|full[ .-]?hd|fhd", False),
    (RESOLUTION, "1080i", r"1080i", False),
    (RESOLUTION, "720p", r"720p|1280x720", False),
    (RESOLUTION, "576p", r"576[pi]", False),
    (RESOLUTION, "480p", r"480[pi]|720x480", False),
    (SOURCE, "Remux", r"(?:bd|uhd)?remux", False),
    (SOURCE, "BDRip", r"b[dr][ .-]?rip", False),
    (SOURCE, "BluRay", r"blu[ .-]?ray|bd(?:25|50|66|100)", False),
    (SOURCE, "WEB-DL", r"web[ .-]?dl", False),
    (SOURCE, "WEBRip", r"web[ .-]?rip", False),
    (SOURCE, "WEB-DL", r"WEB", True),
    (SOURCE, "HDTV", r"hdtv(?:rip)?", False),
    (SOURCE, "PDTV", r"pdtv", False),
    (SOURCE, "SDTV", r"sdtv", False),
    (SOURCE, "DVDRip", r"dvd[ .-]?rip", False),
    (SOURCE, "SCR", r"(?:dvd|bd)scr|screener", False),
    (SOURCE, "SCR", r"SCR", True),
    (SOURCE, "HD-DVD", r"hd[ .-]?dvd", False),
    (SOURCE, "DVD", r"dvd(?:[59]|-?r)?", False),
    (SOURCE, "HDRip", r"hdrip", False),
    (SOURCE, "CAM", r"hdcam|camrip", False),
    (SOURCE, "CAM", r"CAM", True),
    (SOURCE, "TS", r"hd-?ts|telesync", False),
    (SOURCE, "TS", r"TS", True),
    (SOURCE, "TC", r"hd-?tc|telecine", False),
    (SOURCE, "TC", r"TC", True),
    (SOURCE, "R5", r"R5", True),
    (SOURCE, "VHS", r"vhs-?rip|VHS", False),
    (SOURCE, "PPV", r"PPV", True),
    (CODEC, "h264", r"[xh][ .]?264|avc", False),
    (CODEC, "hevc", r"[xh][ .]?265|hevc", False),
    (CODEC, "av1", r"av1", False),
    (CODEC, "vp9", r"vp9", False),
    (CODEC, "xvid", r"xvid", False),
    (CODEC, "divx", r"divx", False),
    (CODEC, "mpeg2", r"mpeg-?2", False),
    (CODEC, "vc1", r"vc-?1", False),
    (HDR, "HDR10+", r"hdr10(?:\+|plus)", False),
    (HDR, "HDR10", r"hdr(?:10)?", False),
    (HDR, "DV", r"dovi|dolby[ .]?vision", False),
    (HDR, "DV", r"DV", True),
    (HDR, "HLG", r"hlg", False),
    (AUDIO, "DTS", r"dts[ .-]?hd(?:[ .-]?ma)?|dts[ .-]?x|dts[ .-]?es|dts", False),
    (AUDIO, "TrueHD", r"true-?hd", False),
    (AUDIO, "Atmos", r"atmos", False),
    (AUDIO, "AC3", r"e?ac-?3|e-ac-3", False),
    (AUDIO, "DD", r"dd[p+]?[ .]?[1-7][ .][01]|ddp|dd\+", False),
    (AUDIO, "DD", r"DD", True),
    (AUDIO, "AAC", r"aac(?:[ .]?[1-7][ .][01])?", False),
    (AUDIO, "FLAC", r"flac|lpcm|mp3", False),
    (THREE_D, "3D", r"3d|h[ .-]?sbs|half[ .-]?sbs|f(?:ull)?[ .-]?sbs|sbs|h[ .-]?ou|half[ .-]?ou|h[ .-]?tab|mvc", False),
    (EDITION, "Director's Cut", r"director'?s[ ._-]?cut", False),
    (EDITION, "Extended", r"extended(?:[ ._-](?:cut|edition|version))?", False),
    (EDITION, "Theatrical", r"theatrical(?:[ ._-](?:cut|edition|version))?", False),
    (EDITION, "Unrated", r"unrated(?:[ ._-](?:cut|edition|version))?", False),
    (EDITION, "Remastered", r"remastered|remaster", False),
    (EDITION, "IMAX", r"imax(?:[ ._-](?:edition|enhanced))?", False),
    (EDITION, "Ultimate Edition", r"ultimate[ ._-](?:edition|cut)", False),
    (EDITION, "Special Edition", r"special[ ._-]edition", False),
    (EDITION, "Collector's Edition", r"collector'?s[ ._-]edition", False),
    (EDITION, "Criterion", r"criterion(?:[ ._-]collection)?", False),
    (EDITION, "Anniversary Edition", r"(?:[0-9]{1,3}(?:st|nd|rd|th)[ ._-])?anniversary[ ._-]edition", False),
    (EDITION, "Open Matte", r"open[ ._-]matte", False),
    (EDITION, "Uncut", r"uncut", False),
    (EDITION, "Uncensored", r"uncensored", False),
    (MISC, "", r"10[ .-]?bit|8[ .-]?bit|hi10p?|[0-9]{2,3}fps|sdr|read[ .]?nfo|nfofix", False),
    (
        MISC,
        "",
        r"PROPER|REPACK[0-9]?|RERIP|REAL|INTERNAL|iNTERNAL|LIMITED|DUBBED|SUBBED|MULTi(?:SUBS)?|MULTI|TRUEFRENCH|FRENCH"
        r"|VOSTFR|VFF|VFQ|GERMAN|iTALiAN|ITALIAN|SPANISH|NORDiC|DUAL|DL|HC|KORSUB|HARDSUB|DOCU|WS|FS"
        r"|AMZN|NF|DSNP|HMAX|ATVP|HULU|PCOK|PMTP|CRAV|CR",
        True,
    ),
    (MISC, "", r"[2-8]\.[01]", True),
)

_WORD_START = r"(?<![^\W_])"  # not preceded by a letter or digit; "_" and "." count as separators
_WORD_END = r"(?![^\W_])"

TAG_RE = re.compile(
    _WORD_START
    + "(?:"
    + "|".join(
        f"(?P<t{i}>{pattern})" if case_sensitive else f"(?P<t{i}>(?i:{pattern}))"
        for i, (_category, _value, pattern, case_sensitive) in enumerate(_TAGS)
    )
    + ")"
    + _WORD_END
)
TAG_INFO: dict[str, tuple[str, str]] = {f"t{i}": (category, value) for i, (category, value, _p, _c) in enumerate(_TAGS)}

# Preference when a name carries several values of one kind ("BluRay.REMUX", "DV.HDR10").
SOURCE_RANK: dict[str, int] = {"Remux": 2}
HDR_RANK: dict[str, int] = {"DV": 3, "HDR10+": 2, "HDR10": 1}

# Folder names (lower-case, spaces, dashes and underscores removed) that hold extras, and their extra type.
EXTRA_FOLDERS: dict[str, str] = {
    "extras": "other",
    "extra": "other",
    "other": "other",
    "others": "other",
    "bonus": "other",
    "trailers": "trailer",
    "trailer": "trailer",
    "featurettes": "featurette",
    "featurette": "featurette",
    "behindthescenes": "behindthescenes",
    "deletedscenes": "deletedscene",
    "deleted": "deletedscene",
    "interviews": "interview",
    "scenes": "scene",
    "shorts": "short",
    "samples": "sample",
    "sample": "sample",
    "clips": "clip",
}

# Suffix words on a file stem ("Movie (2010)-trailer") and their extra type.
EXTRA_SUFFIXES: dict[str, str] = {
    "trailer": "trailer",
    "sample": "sample",
    "featurette": "featurette",
    "behindthescenes": "behindthescenes",
    "deleted": "deletedscene",
    "deletedscene": "deletedscene",
    "deletedscenes": "deletedscene",
    "interview": "interview",
    "scene": "scene",
    "short": "short",
    "clip": "clip",
    "other": "other",
    "extra": "other",
}


@dataclass(slots=True)
class Tags:
    """Every tag found in one name: (start, end, category, value) spans and the preferred value per category."""

    spans: list[tuple[int, int, str, str]] = field(default_factory=list)
    first_strong: int = 0
    values: dict[str, str] = field(default_factory=dict)
    is_3d: bool = False

    def first(self, categories: frozenset[str] | set[str], start: int = 1, end: int | None = None) -> int | None:
        """Start of the first tag of these categories in [start, end)."""
        for s, _e, category, _v in self.spans:
            if category in categories and s >= start and (end is None or s < end):
                return s
        return None


_RANKS = {SOURCE: SOURCE_RANK, HDR: HDR_RANK}


def scan_tags(text: str) -> Tags:
    """Find the quality, edition and release tags in a name with one regex pass."""
    tags = Tags(first_strong=len(text))
    values = tags.values
    for m in TAG_RE.finditer(text):
        category, value = TAG_INFO[m.lastgroup or ""]
        start = m.start()
        tags.spans.append((start, m.end(), category, value))
        if category == THREE_D:
            tags.is_3d = True
        if category in STRONG and start < tags.first_strong:
            tags.first_strong = start
        if not value or category == MISC:
            continue
        old = values.get(category)
        rank = _RANKS.get(category)
        if old is None or (rank is not None and rank.get(value, 0) > rank.get(old, 0)):
            values[category] = value
    return tags


# Unambiguous words may follow "-", "." or "_"; ones that end ordinary titles ("The.Other") need a dash.
_EXTRA_SUFFIX = re.compile(
    r"[-._](trailer|sample|featurette|behindthescenes|deletedscenes?)[0-9]{0,2}$"
    r"|-(deleted|scene|short|clip|other|extra|interview)[0-9]{0,2}$",
    re.I,
)
_EXTRA_STEM = re.compile(r"^(trailer|sample)[0-9]{0,2}$|^sample[-.]", re.I)


def split_extra_suffix(stem: str) -> tuple[str, str]:
    """(stem without its extras suffix, extra type); the type is "" when the stem is not an extra."""
    m = _EXTRA_STEM.match(stem)
    if m:
        return stem[m.end() :] if not m.group(1) else "", (m.group(1) or "sample").lower()
    m = _EXTRA_SUFFIX.search(stem)
    if m:
        return stem[: m.start()], EXTRA_SUFFIXES[(m.group(1) or m.group(2)).lower()]
    lowered = stem.lower() + "."
    if ".sample." in lowered:
        return stem[: lowered.find(".sample.")], "sample"
    return stem, ""
