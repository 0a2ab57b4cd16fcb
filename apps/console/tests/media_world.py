"""A small catalogue for the console's media pages: a real HDR10 HEVC film with 5.1 E-AC-3 English audio and a
forced English subtitle beside it, a two-episode show, both scanned; with `tmdb`, matched with cast and artwork."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from apps.core.testing.images import image_bytes
from apps.core.testing.media import has_codec, make_clip
from apps.libraries import services as library_services
from apps.media.models import Movie, Show
from apps.metadata import services as metadata_services
from apps.metadata.images.fetch import artworks_fetch
from apps.scanning import services as scanning

FILM = "Heat (1995)/Heat (1995).mkv"
HEVC = "libx265" if has_codec("libx265") else "libx264"
HDR10 = {
    "video_codec": HEVC,
    "pix_fmt": "yuv420p10le",
    "color_transfer": "smpte2084",
    "color_primaries": "bt2020",
    "color_space": "bt2020nc",
}


def film_make(root: Path, *, seconds: float = 3, playable: bool = False) -> Path:
    """The film: HDR10 HEVC with 5.1 E-AC-3, or (playable) H.264 + AAC a browser plays after a remux."""
    path = root / FILM
    if playable:
        make_clip(path, width=320, height=240, seconds=seconds, fps=10, audio_language="eng", pattern=5)
    else:
        make_clip(path, width=128, height=72, seconds=seconds, fps=10, audio_codec="eac3", audio_channels=6,
                  audio_language="eng", **HDR10)  # fmt: skip
    (path.parent / "Heat (1995).en.forced.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello.\n")
    (path.parent / "poster.jpg").write_bytes(image_bytes(400, 600, seed=3))
    (path.parent / "fanart.jpg").write_bytes(image_bytes(1280, 720, seed=4))
    return path


def episodes_make(root: Path) -> None:
    for number in (1, 2):
        make_clip(root / "Lost" / "Season 01" / f"Lost S01E0{number}.mkv", seconds=2, fps=5)


def tmdb_fill(tmdb) -> None:
    """Heat and Lost on the TMDb stand-in, with people who have photos."""
    for person_id, name in ((1158, "Al Pacino"), (380, "Robert De Niro"), (638, "Michael Mann")):
        tmdb.person_add(person_id, name, profile_path=f"/p{person_id}.jpg")
        tmdb.image_add(f"/p{person_id}.jpg", image_bytes(200, 300, seed=person_id))
    tmdb.movie_add(
        949,
        "Heat",
        year=1995,
        tagline="A Los Angeles crime saga.",
        overview="Obsessive master thief Neil McCauley leads a top-notch crew on various daring heists.",
        genres=["Action", "Crime", "Drama"],
        certifications={"US": "R"},
        imdb_id="tt0113277",
        cast=[(1158, "Al Pacino", "Lt. Vincent Hanna"), (380, "Robert De Niro", "Neil McCauley")],
        crew=[(638, "Michael Mann", "Director", "Directing")],
    )
    tmdb.movie_add(950, "Heat Wave", year=2009)
    tmdb.show_add(4607, "Lost", first_air_date="2004-09-22")


def world_make(tmp_path: Path, *, tmdb=None, playable: bool = False, seconds: float = 3) -> SimpleNamespace:
    film_make(tmp_path / "movies", playable=playable, seconds=seconds)
    episodes_make(tmp_path / "tv")
    movies = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "movies")])
    tv = library_services.library_create(name="TV", kind="shows", paths=[str(tmp_path / "tv")])
    for library in (movies, tv):
        scanning.scan_run(scan=scanning.scan_begin(library=library))
    movie, show = Movie.objects.get(title="Heat"), Show.objects.get(title="Lost")
    if tmdb is not None:
        tmdb_fill(tmdb)
        metadata_services.metadata_refresh(movies=[movie], shows=[show])
    artworks_fetch()  # people's photos belong to no library
    movie.refresh_from_db()
    show.refresh_from_db()
    return SimpleNamespace(movies=movies, tv=tv, movie=movie, show=show, film=movie.files.get())
