"""A scanned library of 20 movies and 2 shows matched against the TMDb stand-in, as an operator would see it."""

from __future__ import annotations

import pytest

from apps.core.testing.catalogue import scanned
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries.services import library_grants_set
from apps.media.models import Artwork, Credit, Episode, MetadataStatus, Movie, Show
from apps.media.selectors import movies_visible_to, shows_visible_to
from apps.metadata import services
from apps.metadata.tmdb import client

pytestmark = pytest.mark.django_db

MOVIES = {
    "The Matrix (1999)/The Matrix (1999).mkv": None,
    "The Matrix Reloaded (2003).mkv": None,
    "The Thing (1982)/The Thing (1982).mkv": None,
    "The Thing (2011)/The Thing (2011).mkv": None,
    "Total Recall (1990).mkv": None,
    "Total Recall (2012).mkv": None,
    "Heat (1996)/Heat.1996.1080p.BluRay.x264-GRP.mkv": None,  # TMDb says 1995: one year off still matches
    "Dune (2021)/Dune (2021).mkv": None,
    "Alien (1979) {tmdb-348}/Alien (1979) {tmdb-348}.mkv": None,  # the file name's id wins over the search
    "Arrival (2016) [imdbid-tt2543164].mkv": None,  # an IMDb id only: found through TMDb's find
    "Mystery Tape (2005)/Mystery Tape (2005).mkv": None,
    "Mystery Tape (2005)/movie.nfo": "<movie><uniqueid type='tmdb'>7001</uniqueid></movie>",
    "Zzxq Home (2003).mkv": None,  # TMDb's only "Zzxq Home" is decades older: not this one
    "Amelie (2001).mkv": None,  # accents do not matter
    "Det sjunde inseglet (1957).mkv": None,  # the original title matches
    "Spider Man (2002).mkv": None,
    "Toy Story (1995).mkv": None,
    "Finding Nemo (2003).mkv": None,
    "Shrek (2001).mkv": None,
    "Up (2009)/Up (2009).mkv": None,
    "Up (2009)/movie.nfo": "<movie><title>Up</title><mpaa>PG-13</mpaa></movie>",  # the NFO's rating wins
    "Star Wars (1977).mkv": None,
}
SHOWS = {
    "Doctor Who (2005)/Season 01/Doctor Who S01E01.mkv": None,
    "Doctor Who (2005)/Season 01/Doctor Who S01E02.mkv": None,
    "Doctor Who (2005)/Specials/Doctor Who S00E01.mkv": None,
    "Bebop/[Fansub] Bebop - 05.mkv": None,  # absolute numbering: season 2, episode 2 on TMDb
}


def stand_in_catalogue(tmdb) -> None:
    tmdb.person_add(6384, "Keanu Reeves", profile_path="/keanu.jpg")
    tmdb.movie_add(
        603, "The Matrix", year=1999, popularity=80, certifications={"US": "R", "DE": "16"}, imdb_id="tt0133093",
        collection=(2344, "The Matrix Collection"), genres=["Action", "Science Fiction"], companies=["Warner Bros."],
        cast=[(6384, "Keanu Reeves", "Neo"), (2975, "Laurence Fishburne", "Morpheus")],
        crew=[(9340, "Lana Wachowski", "Director", "Directing"), (9340, "Lana Wachowski", "Writer", "Writing"),
              (9999, "Someone", "Catering", "Crew")],
        poster="/matrix.jpg", backdrop="/matrix-bg.jpg", logo="/matrix-logo.png", tagline="Welcome to the Real World.",
    )  # fmt: skip
    tmdb.movie_add(604, "The Matrix Reloaded", year=2003, popularity=50)
    tmdb.movie_add(1091, "The Thing", year=1982, popularity=40, certifications={"US": "R"})
    tmdb.movie_add(60935, "The Thing", year=2011, popularity=30, certifications={"US": "R"})
    tmdb.movie_add(861, "Total Recall", year=1990, popularity=30, certifications={"US": "R"})
    tmdb.movie_add(64635, "Total Recall", year=2012, popularity=35, certifications={"US": "PG-13"})
    tmdb.movie_add(949, "Heat", year=1995, popularity=40, certifications={"US": "R"})
    tmdb.movie_add(438631, "Dune", year=2021, popularity=90, certifications={"US": "PG-13"})
    tmdb.movie_add(841, "Dune", year=1984, popularity=20, certifications={"US": "PG-13"})
    tmdb.movie_add(693134, "Dune: Part Two", year=2024, popularity=95, certifications={"US": "PG-13"})
    tmdb.movie_add(348, "Alien", year=1979, popularity=60, certifications={"US": "R"})
    tmdb.movie_add(8077, "Alien³", year=1992, popularity=20, certifications={"US": "R"})
    tmdb.movie_add(329865, "Arrival", year=2016, imdb_id="tt2543164", certifications={"US": "PG-13"})
    tmdb.movie_add(7001, "The Lost Reel", year=2005, certifications={"US": "G"})
    tmdb.movie_add(194, "Amélie", year=2001, original_title="Le Fabuleux Destin d'Amélie Poulain", popularity=30,
                   certifications={"US": "R"})  # fmt: skip
    tmdb.movie_add(490, "The Seventh Seal", year=1957, original_title="Det sjunde inseglet", popularity=15,
                   certifications={"US": "NR", "SE": "15"})  # fmt: skip
    tmdb.movie_add(557, "Spider-Man", year=2002, popularity=70, certifications={"US": "PG-13"})
    tmdb.movie_add(862, "Toy Story", year=1995, popularity=90, certifications={"US": "G"})
    tmdb.movie_add(12, "Finding Nemo", year=2003, popularity=80, certifications={"US": "G"})
    tmdb.movie_add(808, "Shrek", year=2001, popularity=80, certifications={"US": "PG"})
    tmdb.movie_add(14160, "Up", year=2009, popularity=60, certifications={"US": "PG"})
    tmdb.movie_add(11, "Star Wars", year=1977, popularity=90, certifications={"US": "PG"})
    tmdb.movie_add(1, "Zzxq Home", year=1950, popularity=1)  # a near title, wrong by decades
    tmdb.show_add(
        57243, "Doctor Who", first_air_date="2005-03-26", content_ratings={"US": "TV-PG"}, tvdb_id=78804,
        seasons={0: [{"name": "The Christmas Invasion"}], 1: [{"name": "Rose"}, {"name": "The End of the World"}]},
        networks=["BBC One"], genres=["Sci-Fi & Fantasy", "Drama"],
    )  # fmt: skip
    tmdb.show_add(121, "Doctor Who", first_air_date="1963-11-23", popularity=5, seasons={1: 3})
    tmdb.show_add(30991, "Bebop", first_air_date="1998-04-03", content_ratings={"US": "TV-14"},
                  seasons={1: 3, 2: [{"name": "A"}, {"name": "Jupiter Jazz"}, {"name": "C"}]})  # fmt: skip


@pytest.fixture
def catalogue(tmdb, place, tmp_path):
    stand_in_catalogue(tmdb)
    movies = scanned(place, tmp_path / "movies", name="Movies", kind="movies", files=MOVIES)
    shows = scanned(place, tmp_path / "shows", name="Shows", kind="shows", files=SHOWS)
    return movies, shows


def test_a_scanned_library_is_matched_filled_and_rated(catalogue, tmdb):
    before = client.calls_made("api")
    counts = services.metadata_refresh()
    assert (counts.matched, counts.unmatched, counts.failed) == (21, 1, 0)
    movies = {m.match_key: m for m in Movie.objects.all()}
    by_file = {key.split("|")[0]: (m.tmdb_id, m.title, m.year) for key, m in movies.items() if "thing" not in key}
    assert by_file["the matrix"] == ("603", "The Matrix", 1999)
    assert {(m.year, m.tmdb_id) for m in Movie.objects.filter(title="The Thing")} == {(1982, "1091"), (2011, "60935")}
    assert {(m.year, m.tmdb_id) for m in Movie.objects.filter(title="Total Recall")} == {(1990, "861"), (2012, "64635")}
    assert by_file["heat"] == ("949", "Heat", 1995)
    assert by_file["dune"] == ("438631", "Dune", 2021)
    assert by_file["alien"] == ("348", "Alien", 1979)
    assert by_file["arrival"] == ("329865", "Arrival", 2016)
    assert by_file["mystery tape"] == ("7001", "The Lost Reel", 2005)
    assert by_file["amelie"][:2] == ("194", "Amélie")
    assert by_file["det sjunde inseglet"][:2] == ("490", "The Seventh Seal")
    assert by_file["spider man"][:2] == ("557", "Spider-Man")
    assert by_file["star wars"][:2] == ("11", "Star Wars")
    nomatch = movies["zzxq home|2003|"]
    assert (nomatch.metadata_status, nomatch.metadata_error, nomatch.tmdb_id) == ("unmatched", "TMDb: no match", "")
    assert (nomatch.title, nomatch.year, nomatch.match_score) == ("Zzxq Home", 2003, 0.5)  # as the file says

    matrix = Movie.objects.get(tmdb_id="603")
    assert matrix.metadata_status == MetadataStatus.MATCHED and matrix.match_score >= 0.9
    assert (matrix.imdb_id, matrix.certification, matrix.age_rating) == ("tt0133093", "R", 17)
    assert matrix.tagline == "Welcome to the Real World." and matrix.runtime == 100 and matrix.vote_average == 7.0
    assert matrix.collection.name == "The Matrix Collection" and matrix.collection.tmdb_id == "2344"
    assert sorted(g.name for g in matrix.genres.all()) == ["Action", "Science Fiction"]
    assert [s.name for s in matrix.studios.all()] == ["Warner Bros."]
    credits = [(c.kind, c.person.name, c.character or c.job, c.person.tmdb_id) for c in matrix.credits.all()]
    assert credits == [
        ("cast", "Keanu Reeves", "Neo", "6384"),
        ("cast", "Laurence Fishburne", "Morpheus", "2975"),
        ("crew", "Lana Wachowski", "Director", "9340"),
        ("crew", "Lana Wachowski", "Writer", "9340"),
    ]
    keanu = Credit.objects.get(character="Neo").person
    assert [(a.kind, a.source, a.path) for a in keanu.artwork.all()] == [("profile", "tmdb", "/keanu.jpg")]
    assert sorted((a.kind, a.path) for a in matrix.artwork.filter(source="tmdb")) == [
        ("fanart", "/matrix-bg.jpg"), ("logo", "/matrix-logo.png"), ("poster", "/matrix.jpg")
    ]  # fmt: skip

    ages = {m.title: (m.certification, m.age_rating) for m in Movie.objects.all()}
    assert ages["Toy Story"] == ("G", 0) and ages["Shrek"] == ("PG", 10) and ages["Dune"] == ("PG-13", 13)
    assert ages["Up"] == ("PG-13", 13)  # the NFO said PG-13; TMDb's PG does not override it
    assert ages["The Seventh Seal"] == ("NR", None)  # not rated: no age

    who = Show.objects.get(tmdb_id="57243")
    assert (who.title, who.year, who.tvdb_id, who.certification, who.age_rating) == (
        "Doctor Who",
        2005,
        "78804",
        "TV-PG",
        10,
    )
    assert sorted(g.name for g in who.genres.all()) == ["Drama", "Fantasy", "Science Fiction"]
    assert [s.name for s in who.studios.all()] == ["BBC One"]
    titles = {(e.season.season_number, e.episode_number): e.title for e in Episode.objects.filter(show=who)}
    assert titles == {(1, 1): "Rose", (1, 2): "The End of the World", (0, 1): "The Christmas Invasion"}
    assert who.seasons.get(season_number=0).title == "Specials"
    bebop = Episode.objects.get(show__title="Bebop")
    assert (bebop.absolute_number, bebop.title) == (5, "Jupiter Jazz")

    items = Movie.objects.count() + Show.objects.count()
    assert (client.calls_made("api") - before) / items <= 3


def test_a_kids_role_sees_exactly_what_its_limit_allows_after_a_scan(catalogue):
    services.metadata_refresh()
    kids = kids_role_make(max_parental_age=10)
    granter = user_make("granter", role="admin")
    for library in catalogue:
        library_grants_set(library=library, roles={kids.name: ["view_library"]}, users={}, by=granter)
    kid = user_make("kid", role=kids)
    seen = sorted(m.title for m in movies_visible_to(user=kid))
    # G and PG (10) films, and the unrated ones (the role does not block unrated titles)
    assert seen == ["Finding Nemo", "Shrek", "Star Wars", "The Lost Reel", "The Seventh Seal", "Toy Story", "Zzxq Home"]
    assert [s.title for s in shows_visible_to(user=kid)] == ["Doctor Who"]


def test_the_country_of_the_library_chooses_the_certification(tmdb, place, tmp_path):
    tmdb.movie_add(603, "The Matrix", year=1999, certifications={"US": "R", "GB": "PG", "DE": "16"})
    library = scanned(place, tmp_path, name="UK", kind="movies", files={"The Matrix (1999).mkv": None})
    library.metadata_country = "GB"
    library.save()
    services.metadata_refresh()
    matrix = Movie.objects.get()
    assert (matrix.certification, matrix.age_rating) == ("GB:PG", 8)  # the British PG, not the American
    assert Artwork.objects.filter(source="tmdb").count() == 0  # the stand-in lists no pictures for it
