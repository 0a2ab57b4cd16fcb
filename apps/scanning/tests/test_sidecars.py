"""Subtitles, artwork and ignored names beside media files, recognised from their names alone."""

from __future__ import annotations

import pytest

from apps.scanning.sidecars import (
    IMAGE_EXTENSIONS,
    SUBTITLE_EXTENSIONS,
    ArtworkSidecar,
    SubtitleSidecar,
    artwork_for,
    classify,
    is_ignored,
    subtitle_for,
)

VIDEO = "Movie (2010).mkv"


@pytest.mark.parametrize(
    ("candidate", "language", "forced", "sdh", "default", "fmt", "title"),
    [
        ("Movie (2010).srt", "", False, False, False, "srt", ""),
        ("Movie (2010).en.srt", "eng", False, False, False, "srt", ""),
        ("Movie (2010).eng.forced.srt", "eng", True, False, False, "srt", ""),
        ("Movie (2010).de.sdh.ass", "ger", False, True, False, "ass", ""),
        ("Movie (2010).English.default.srt", "eng", False, False, True, "srt", ""),
        ("Movie (2010).pt-BR.srt", "por", False, False, False, "srt", ""),
        ("Movie (2010).en.hi.srt", "eng", False, True, False, "srt", ""),
        ("Movie (2010).hi.en.srt", "eng", False, True, False, "srt", ""),
        ("Movie (2010).hi.srt", "hin", False, False, False, "srt", ""),
        ("Movie (2010).fr.cc.vtt", "fre", False, True, False, "vtt", ""),
        ("Movie (2010).Commentary.en.srt", "eng", False, False, False, "srt", "Commentary"),
        ("Movie (2010).en.Director Commentary.srt", "eng", False, False, False, "srt", "Director Commentary"),
        ("Movie (2010).ger.FORCED.DEFAULT.SSA", "ger", True, False, True, "ssa", ""),
        ("Movie (2010).español.foreign.srt", "spa", True, False, False, "srt", ""),
        ("Movie (2010).chi.sup", "chi", False, False, False, "sup", ""),
        ("Movie (2010).en.idx", "eng", False, False, False, "idx", ""),
        ("Movie (2010).en.sub", "eng", False, False, False, "sub", ""),
        ("Movie (2010).ko.smi", "kor", False, False, False, "smi", ""),
        ("Movie (2010)..en..srt", "eng", False, False, False, "srt", ""),
        ("movie (2010).EN.SRT", "eng", False, False, False, "srt", ""),
    ],
)
def test_subtitle_tokens(candidate, language, forced, sdh, default, fmt, title):
    found = subtitle_for(VIDEO, candidate)
    assert found == SubtitleSidecar(
        name=candidate, language=language, forced=forced, sdh=sdh, default=default, format=fmt, title=title
    )


@pytest.mark.parametrize(
    "candidate",
    [
        "Movie (2010) - part2.en.srt",
        "Movie (2010)-part2.srt",
        "Movie (2010)x.srt",
        "Movie (201.srt",
        "Other Movie (2010).en.srt",
        "Movie (2010).en.txt",
        "Movie (2010).mkv",
        "Movie (2010).nfo",
        "Movie (2010).en",
        "",
    ],
)
def test_subtitles_of_other_files_do_not_match(candidate):
    assert subtitle_for(VIDEO, candidate) is None


def test_subtitle_stem_with_dots_and_unicode():
    assert subtitle_for("The.Matrix.1999.1080p.mkv", "The.Matrix.1999.1080p.en.srt").language == "eng"
    assert subtitle_for("Straße (2000).mkv", "STRASSE (2000).srt") is None
    assert subtitle_for("Straße (2000).mkv", "straße (2000).de.srt").language == "ger"
    # "İ".lower() is two characters long: matching must not slice by the lowered length.
    assert subtitle_for("İstanbul.mkv", "İSTANBUL.tr.srt").language == "tur"


def test_subtitle_keeps_name_as_given():
    found = subtitle_for(VIDEO, "MOVIE (2010).En.srt")
    assert found is not None and found.name == "MOVIE (2010).En.srt"


@pytest.mark.parametrize(
    ("video", "candidate"),
    [
        ("\udcff.mkv", "\udcff.srt"),
        ("\udcff.mkv", "\udcff.\udcfe.srt"),
        ("Caf\udce9.mkv", "Caf\udce9.en.srt"),
        ("", ".srt"),
        (".mkv", ".srt"),
        ("a.mkv", "a." + "x." * 5000 + "srt"),
        ("a" * 300 + ".mkv", "a" * 300 + ".\x00.srt"),
        ("a.mkv", "a.🎬.srt"),
    ],
)
def test_subtitle_never_raises(video, candidate):
    found = subtitle_for(video, candidate)
    assert found is None or isinstance(found, SubtitleSidecar)


def test_surrogate_subtitle_matches_its_video():
    found = subtitle_for("Caf\udce9.mkv", "Caf\udce9.en.srt")
    assert found is not None and found.language == "eng"


@pytest.mark.parametrize(
    ("candidate", "kind", "season"),
    [
        ("poster.jpg", "poster", None),
        ("folder.jpg", "poster", None),
        ("cover.png", "poster", None),
        ("default.jpg", "poster", None),
        ("Poster.JPG", "poster", None),
        ("fanart.jpg", "fanart", None),
        ("backdrop.jpg", "fanart", None),
        ("background.webp", "fanart", None),
        ("art.jpg", "fanart", None),
        ("fanart1.jpg", "fanart", None),
        ("backdrop-2.jpg", "fanart", None),
        ("banner.jpg", "banner", None),
        ("logo.png", "logo", None),
        ("clearlogo.png", "logo", None),
        ("clearart.png", "clearart", None),
        ("disc.png", "disc", None),
        ("discart.png", "disc", None),
        ("landscape.jpg", "landscape", None),
        ("thumb.jpg", "thumb", None),
        ("season01-poster.jpg", "season_poster", 1),
        ("season1-poster.jpg", "season_poster", 1),
        ("season12-poster.png", "season_poster", 12),
        ("Season01-Poster.jpg", "season_poster", 1),
        ("season00-poster.jpg", "season_poster", 0),
        ("season-specials-poster.jpg", "season_poster", 0),
        ("season01-fanart.jpg", "season_fanart", 1),
        ("season02-banner.jpg", "season_banner", 2),
        ("season01.jpg", "season_poster", 1),
        ("season2024-poster.jpg", "season_poster", 2024),
    ],
)
def test_folder_and_season_artwork(candidate, kind, season):
    assert artwork_for(candidate) == ArtworkSidecar(candidate, kind, season)
    assert artwork_for(candidate, video_stem="Movie (2010)") == ArtworkSidecar(candidate, kind, season)


@pytest.mark.parametrize(
    ("candidate", "kind"),
    [
        ("Movie (2010)-poster.jpg", "poster"),
        ("Movie (2010)-fanart.jpg", "fanart"),
        ("Movie (2010)-thumb.jpg", "thumb"),
        ("Movie (2010)-banner.png", "banner"),
        ("Movie (2010)-clearlogo.png", "logo"),
        ("Movie (2010)-landscape.jpg", "landscape"),
        ("Movie (2010).jpg", "thumb"),
        ("Movie (2010).tbn", "thumb"),
        ("movie (2010)-POSTER.JPG", "poster"),
    ],
)
def test_video_artwork(candidate, kind):
    assert artwork_for(candidate, video_stem="Movie (2010)") == ArtworkSidecar(candidate, kind)
    assert artwork_for(candidate) is None


def test_episode_thumb():
    stem = "Doctor Who (2005) - S01E01 - Rose"
    found = artwork_for(f"{stem}-thumb.jpg", video_stem=stem)
    assert found == ArtworkSidecar(f"{stem}-thumb.jpg", "thumb")


@pytest.mark.parametrize(
    ("candidate", "stem"),
    [
        ("random.jpg", None),
        ("screenshot.png", "Movie (2010)"),
        ("poster.txt", None),
        ("poster.gif", None),
        ("poster", None),
        (".jpg", None),
        ("season-all-poster.jpg", None),
        ("season01-landscape.jpg", None),
        ("seasonx-poster.jpg", None),
        ("Movie (2010)-screenshot.jpg", "Movie (2010)"),
        ("Movie (2010)-season01-poster.jpg", "Movie (2010)"),
        ("Movie (2010) - part2-poster.jpg", "Movie (2010)"),
        ("Other (2010)-poster.jpg", "Movie (2010)"),
        ("season01.tbn", None),
        ("\udcff.jpg", "\udcff"),
        ("\udcff-poster.jpg", None),
        ("\udcff.png", None),
    ],
)
def test_not_artwork(candidate, stem):
    found = artwork_for(candidate, video_stem=stem)
    if candidate == "\udcff.jpg":
        assert found == ArtworkSidecar(candidate, "thumb")
    else:
        assert found is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Movie.mkv", "video"),
        ("MOVIE.MP4", "video"),
        ("clip.m2ts", "video"),
        ("clip.rmvb", "video"),
        ("clip.f4v", "video"),
        ("Movie.en.srt", "subtitle"),
        ("Movie.SUP", "subtitle"),
        ("poster.jpg", "image"),
        ("thumb.tbn", "image"),
        ("movie.nfo", "nfo"),
        ("Movie.NFO", "nfo"),
        ("readme.txt", "other"),
        ("noextension", "other"),
        ("", "other"),
        (".mkv", "other"),
        ("\udcff.srt", "subtitle"),
        ("\udcff.\udcfe", "other"),
        ("Movie.mkv.part", "other"),
    ],
)
def test_classify(name, kind):
    assert classify(name) == kind


def test_extension_sets_are_lower_case_with_dot():
    for ext in SUBTITLE_EXTENSIONS | IMAGE_EXTENSIONS:
        assert ext.startswith(".") and ext == ext.lower()


@pytest.mark.parametrize(
    "name",
    [
        ".hidden",
        ".Trash-1000",
        ".Trashes",
        ".DS_Store",
        ".@__thumb",
        "@eaDir",
        "Thumbs.db",
        "thumbs.db",
        "desktop.ini",
        "Desktop.ini",
        "$RECYCLE.BIN",
        "System Volume Information",
        "lost+found",
        "#recycle",
    ],
)
def test_ignored(name):
    assert is_ignored(name)


@pytest.mark.parametrize("name", ["Movie (2010)", "Season 01", "poster.jpg", "eaDir", "recycle", "\udcff", ""])
def test_not_ignored(name):
    assert not is_ignored(name)
