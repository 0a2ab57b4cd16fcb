"""Recognise the files that sit beside media: subtitles, artwork, NFO files, and folders a scan must skip.

Pure string work on names (never touches the disk), so it cannot raise on odd or undecodable file names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from apps.media.languages import language_normalize

VIDEO_EXTENSIONS = frozenset(
    {
        ".mkv", ".mp4", ".m4v", ".avi", ".mov", ".wmv", ".ts", ".m2ts", ".mts", ".webm",
        ".mpg", ".mpeg", ".flv", ".ogv", ".3gp", ".vob", ".divx", ".rmvb", ".asf", ".f4v",
    }
)  # fmt: skip
SUBTITLE_EXTENSIONS = frozenset({".srt", ".ass", ".ssa", ".vtt", ".sub", ".idx", ".sup", ".smi"})
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".tbn"})
NFO_EXTENSIONS = frozenset({".nfo"})

# Compared in lower case: SMB shares and Windows disks do not care about case either.
IGNORED_NAMES = frozenset(
    {
        "@eadir", "thumbs.db", "desktop.ini", "$recycle.bin", "system volume information", "lost+found",
        "#recycle", "#snapshot", "@recycle", "@recently-snapshot", ".ds_store", ".@__thumb",
    }
)  # fmt: skip

_FORCED = frozenset({"forced", "foreign"})
_SDH = frozenset({"sdh", "cc", "hi"})
_DEFAULT = frozenset({"default"})

_FOLDER_ART = {
    "poster": "poster", "folder": "poster", "cover": "poster", "default": "poster", "movie": "poster",
    "fanart": "fanart", "backdrop": "fanart", "background": "fanart", "art": "fanart",
    "banner": "banner",
    "logo": "logo", "clearlogo": "logo",
    "clearart": "clearart",
    "disc": "disc", "discart": "disc", "cdart": "disc",
    "landscape": "landscape",
    "thumb": "thumb",
}  # fmt: skip
_NUMBERED_FANART = re.compile(r"(?:fanart|backdrop|background)[-_ ]?\d{1,3}")
_SEASON_ART = re.compile(r"season[-_ ]?(?:(\d{1,4})|(specials))(?:[-_ ]?(poster|fanart|banner))?")
_SEASON_KIND_SUFFIX = {None: "season_poster", "poster": "season_poster", "fanart": "season_fanart"}


@dataclass(frozen=True, slots=True)
class SubtitleSidecar:
    """A subtitle file beside a video, with what its name says about it."""

    name: str
    language: str
    forced: bool
    sdh: bool
    default: bool
    format: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class ArtworkSidecar:
    """An image beside media; `season` is set for season_* kinds, 0 for specials."""

    name: str
    kind: str
    season: int | None = None


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def classify(name: str) -> str:
    """The kind of file by its extension: "video", "subtitle", "image", "nfo" or "other"."""
    ext = _extension(name)
    if ext in VIDEO_EXTENSIONS:
        return "video"
    if ext in SUBTITLE_EXTENSIONS:
        return "subtitle"
    if ext in IMAGE_EXTENSIONS:
        return "image"
    if ext in NFO_EXTENSIONS:
        return "nfo"
    return "other"


def is_ignored(name: str) -> bool:
    """Hidden files and folders, trash and NAS thumbnail folders, OS metadata files."""
    return name.startswith(".") or name.lower() in IGNORED_NAMES


def _same_text(a: str, b: str) -> bool:
    return a == b or a.casefold() == b.casefold()


def subtitle_for(video_name: str, candidate_name: str) -> SubtitleSidecar | None:
    """The subtitle sidecar if `candidate_name` belongs to the video file `video_name` (same stem, then dot tokens)."""
    stem, ext = os.path.splitext(candidate_name)
    ext = ext.lower()
    if ext not in SUBTITLE_EXTENSIONS:
        return None
    video_stem = os.path.splitext(video_name)[0]
    if not video_stem:
        return None
    # Slicing the original strings keeps lengths honest; casefold() can change them ("ß" -> "ss").
    head, rest = stem[: len(video_stem)], stem[len(video_stem) :]
    if not _same_text(head, video_stem) or (rest and not rest.startswith(".")):
        return None
    language, forced, sdh, default = "", False, False, False
    maybe_hindi = False
    leftovers: list[str] = []
    for token in (t.strip() for t in rest.split(".")):
        lowered = token.lower()
        if not token:
            continue
        if lowered in _FORCED:
            forced = True
        elif lowered == "hi":
            # "hi" is Hindi on its own, "hearing impaired" next to another language (Bazarr's "en.hi.srt").
            maybe_hindi = True
        elif lowered in _SDH:
            sdh = True
        elif lowered in _DEFAULT:
            default = True
        elif not language and (code := language_normalize(token)):
            language = code
        else:
            leftovers.append(token)
    if maybe_hindi:
        if language:
            sdh = True
        else:
            language = "hin"
    return SubtitleSidecar(
        name=candidate_name,
        language=language,
        forced=forced,
        sdh=sdh,
        default=default,
        format=ext[1:],
        title=" ".join(leftovers),
    )


def _folder_art(stem: str) -> tuple[str, int | None] | None:
    if stem in _FOLDER_ART:
        return _FOLDER_ART[stem], None
    if _NUMBERED_FANART.fullmatch(stem):
        return "fanart", None
    season = _SEASON_ART.fullmatch(stem)
    if season:
        number, specials, suffix = season.groups()
        kind = "season_banner" if suffix == "banner" else _SEASON_KIND_SUFFIX[suffix]
        return kind, 0 if specials else int(number)
    return None


def artwork_for(candidate_name: str, *, video_stem: str | None = None) -> ArtworkSidecar | None:
    """Classify an image beside media: folder-level names, season art, and "<video_stem>-kind" images."""
    stem, ext = os.path.splitext(candidate_name)
    if ext.lower() not in IMAGE_EXTENSIONS or not stem:
        return None
    lowered = stem.lower()
    if video_stem:
        head, rest = stem[: len(video_stem)], stem[len(video_stem) :]
        if _same_text(head, video_stem):
            if not rest:
                return ArtworkSidecar(candidate_name, "thumb")
            if rest[0] == "-":
                found = _folder_art(rest[1:].lower())
                if found and found[1] is None:
                    return ArtworkSidecar(candidate_name, found[0])
                return None
    if ext.lower() == ".tbn" and lowered not in _FOLDER_ART:
        return None
    found = _folder_art(lowered)
    if found is None:
        return None
    return ArtworkSidecar(candidate_name, found[0], found[1])
