"""A small catalogue with provider metadata: a matched movie in a collection, its cast and crew, a show, images."""

from __future__ import annotations

import datetime

from apps.core.testing.catalogue import movie_make
from apps.libraries import services as library_services
from apps.media.models import Artwork, Collection, Credit, Episode, Person, Season, Show


def art(kind: str, digest: str = "", **owner) -> Artwork:
    return Artwork.objects.create(kind=kind, path=f"/{kind}.jpg", content_hash=digest, width=500, height=750, **owner)


def credit(person: Person, kind: str = "cast", **fields) -> Credit:
    return Credit.objects.create(person=person, kind=kind, **fields)


def world_build(tmp_path) -> dict:
    """Two libraries (movies, shows) granted as new libraries are, and the titles, people and images above."""
    (tmp_path / "m").mkdir()
    (tmp_path / "tv").mkdir()
    movies = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "m")])
    tv = library_services.library_create(name="TV", kind="shows", paths=[str(tmp_path / "tv")])
    matrix_set = Collection.objects.create(name="The Matrix Collection", tmdb_id="2344")
    matrix = movie_make(
        library=movies,
        title="The Matrix",
        year=1999,
        certification="R",
        age_rating=17,
        tmdb_id="603",
        imdb_id="tt0133093",
        tagline="Welcome to the Real World.",
        release_date=datetime.date(1999, 3, 30),
        vote_average=8.2,
        collection=matrix_set,
    )
    art("poster", "a" * 64, movie=matrix)
    art("fanart", "b" * 64, movie=matrix)
    art("banner", "", movie=matrix)  # not fetched yet: not shown
    keanu = Person.objects.create(name="Keanu Reeves", tmdb_id="6384", biography="Canadian actor.")
    art("profile", "c" * 64, person=keanu)
    lana = Person.objects.create(name="Lana Wachowski", tmdb_id="9340")
    gaffer = Person.objects.create(name="A Gaffer")
    writer = Person.objects.create(name="A Writer")
    credit(keanu, movie=matrix, character="Neo", order=0)
    credit(Person.objects.create(name="Carrie-Anne Moss"), movie=matrix, character="Trinity", order=1)
    credit(gaffer, "crew", movie=matrix, job="Gaffer", department="Lighting", order=0)
    credit(writer, "crew", movie=matrix, job="Screenplay", department="Writing", order=3)
    credit(lana, "crew", movie=matrix, job="Director", department="Directing", order=5)
    show = Show.objects.create(library=tv, match_key="lost", title="Lost", year=2004, tmdb_id="4607", tvdb_id="73739")
    art("poster", "d" * 64, show=show)
    season = Season.objects.create(show=show, season_number=1, overview="Survivors.", air_date="2004-09-22")
    art("poster", "e" * 64, season=season)
    pilot = Episode.objects.create(
        show=show, season=season, match_key="s01e01", episode_number=1, title="Pilot", runtime=42, tmdb_id="63056"
    )
    art("thumb", "f" * 64, episode=pilot)
    credit(keanu, show=show, character="Himself", order=9)
    return {"movies": movies, "tv": tv, "matrix": matrix, "show": show, "pilot": pilot, "keanu": keanu}
