"""Pure tests for the media path parser: a corpus of real-world style names plus hostile input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from apps.scanning.naming import VIDEO_EXTENSIONS, ParsedName, is_video_name, parse_path

CORPUS = json.loads((Path(__file__).with_name("naming_corpus.json")).read_text(encoding="utf-8"))


def _expected_value(field: str, value: object) -> object:
    if field == "air_date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


@pytest.mark.parametrize("case", CORPUS, ids=[case["path"] for case in CORPUS])
def test_corpus(case: dict) -> None:
    parsed = parse_path(case["path"], library_kind=case["kind_of_library"])
    wrong = {
        field: (getattr(parsed, field), _expected_value(field, value))
        for field, value in case["expected"].items()
        if getattr(parsed, field) != _expected_value(field, value)
    }
    assert not wrong, f"(got, expected) per field: {wrong}"


def test_corpus_is_large_and_covers_both_library_kinds() -> None:
    assert len(CORPUS) >= 300
    assert {case["kind_of_library"] for case in CORPUS} == {"movies", "shows"}
    assert len({case["path"] for case in CORPUS}) == len(CORPUS)


HOSTILE = [
    "",
    "/",
    "//",
    ".",
    "..",
    "../..",
    ".mkv",
    "..mkv",
    "/.mkv",
    " ",
    "\t\n",
    "\x00",
    "\x00.mkv",
    "\udcff",
    "\udcff\udcfe.mkv",
    "Movie \udcff (2010)/Movie \udcff (2010).mkv",
    "é" * 255 + ".mkv",
    "a" * 255,
    "1" * 255 + ".mkv",
    "x/" * 200 + "file.mkv",
    "12345",
    "2019",
    "2019.mkv",
    "1080p",
    "S01E01",
    "S99999E99999.mkv",
    "S01E01-E" + "9" * 50 + ".mkv",
    "1x" + "0" * 100 + ".mkv",
    "9999.99.99.mkv",
    "2024.02.30.mkv",
    "Show - 2024-13-45.mkv",
    "[",
    "]",
    "[[[[",
    "]]]].mkv",
    "((((2010))))",
    "{edition-}",
    "{edition-{edition-x}}.mkv",
    "[imdbid-].mkv",
    "-",
    "-" * 300,
    "." * 300,
    "_" * 300,
    "- - - - 01",
    "[Group]",
    "[Group] - .mkv",
    "Season 1",
    "Season 1/",
    "Specials/Specials.mkv",
    "Extras/Extras/Extras.mkv",
    "BDMV/BDMV/BDMV",
    "CD1/CD2/cd3.avi",
    "🎬🎥 (2020)/🎬🎥.mkv",
    "\u202eevil\u202c (2010).mkv",
    "\uff2d\uff4f\uff56\uff49\uff45 (\uff12\uff10\uff11\uff10).mkv",  # full-width letters and digits
    "Show ١٢٣ - ٤٥.mkv",
    "C:\\Movies\\Movie (2010)\\Movie (2010).mkv",
    "Movie (2010)\\Movie (2010).mkv",
    "a-" * 150 + "x264-GRP.mkv",
    "S" + "0" * 300 + "E1.mkv",
    "(" * 200 + "2010" + ")" * 200,
    "Movie." + ".1080p" * 100 + ".mkv",
    "www." + "x" * 300 + ".com - Movie.mkv",
]


@pytest.mark.parametrize("library_kind", ["movies", "shows", "music", ""])
def test_never_raises_on_hostile_input(library_kind: str) -> None:
    for text in HOSTILE:
        parsed = parse_path(text, library_kind=library_kind)
        assert isinstance(parsed, ParsedName), text
        assert parsed.kind in {"movie", "episode", "extra", "unknown"}, text
        assert parsed.kind != "unknown" or parsed.title == "", text


def test_unparseable_paths_are_unknown() -> None:
    for text in ["", "/", "..", "1080p.mkv", "BDMV/STREAM/00000.m2ts"]:
        assert parse_path(text, library_kind="movies").kind == "unknown", text
    assert parse_path("Season 1/S01E01.mkv", library_kind="shows").kind == "unknown"


def test_version_label_does_not_become_an_edition() -> None:
    """Versions of one movie must share its edition, or the scanner would split them into separate movies."""
    cut = parse_path("Movie (2021)/Movie (2021) - Director's Cut.mkv", library_kind="movies")
    plain = parse_path("Movie (2021)/Movie (2021) - 1080p.mkv", library_kind="movies")
    assert (cut.version, cut.edition) == ("Director's Cut", "")
    assert (plain.title, plain.year, plain.edition) == (cut.title, cut.year, cut.edition)


def test_episodes_of_one_show_folder_agree_on_the_show() -> None:
    names = [
        "Doctor Who (2005)/Season 01/Doctor.Who.2005.S01E01.720p.HDTV.x264-GRP.mkv",
        "Doctor Who (2005)/Season 01/Doctor Who - S01E02.mkv",
        "Doctor Who (2005)/Season 01/S01E03.mkv",
        "Doctor Who (2005)/Season 01/04 - Aliens of London.mkv",
    ]
    shows = {(p.title, p.year) for p in (parse_path(n, library_kind="shows") for n in names)}
    assert shows == {("Doctor Who", 2005)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Movie (2010).mkv", True),
        ("movie.MKV", True),
        ("Folder/clip.m2ts", True),
        ("a.webm", True),
        ("a.rmvb", True),
        ("a.ts", True),
        ("disc.iso", False),
        ("movie.nfo", False),
        ("movie.srt", False),
        ("poster.jpg", False),
        ("movie.mkv.part", False),
        (".mkv", False),
        ("._Movie.mkv", False),
        ("mkv", False),
        ("", False),
    ],
)
def test_is_video_name(name: str, expected: bool) -> None:
    assert is_video_name(name) is expected


def test_video_extensions_are_lower_case_with_a_dot() -> None:
    assert all(ext.startswith(".") and ext == ext.lower() for ext in VIDEO_EXTENSIONS)
    assert {".mkv", ".mp4", ".avi", ".m2ts", ".vob"} <= VIDEO_EXTENSIONS
    assert ".iso" not in VIDEO_EXTENSIONS


@pytest.mark.parametrize(
    ("path", "kind", "title", "ids"),
    [
        ("The Matrix (1999) {tmdb-603}/The Matrix (1999) {tmdb-603}.mkv", "movies", "The Matrix", {"tmdb": "603"}),
        ("Heat (1995) [imdbid-tt0113277].mkv", "movies", "Heat", {"imdb": "tt0113277"}),
        ("Heat.1995.tmdbid=949.1080p.BluRay.mkv", "movies", "Heat", {"tmdb": "949"}),
        ("Heat (1995) (tt0113277)/heat.mkv", "movies", "Heat", {"imdb": "tt0113277"}),
        ("Heat (1995) {tmdb-949}/Heat (1995) {tmdb-111}.mkv", "movies", "Heat", {"tmdb": "111"}),
        ("Lost (2004) [tvdbid-73739]/Season 1/Lost S01E01.mkv", "shows", "Lost", {"tvdb": "73739"}),
        ("Lost [tmdbid-4607]/S01E01 {tmdb-99}.mkv", "shows", "Lost", {"tmdb": "4607"}),
        ("Heat {tmdb-0}.mkv", "movies", "Heat", {}),
        ("Heat {tmdb-abc} [imdbid-tt12].mkv", "movies", "Heat", {}),
        ("Heat {tmdb-" + "9" * 40 + "}.mkv", "movies", "Heat", {}),
    ],
)
def test_provider_ids_in_names_are_read_and_kept_out_of_titles(path, kind, title, ids) -> None:
    parsed = parse_path(path, library_kind=kind)
    assert (parsed.title, parsed.ids) == (title, ids)
