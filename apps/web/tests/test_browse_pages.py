"""The browsing pages over the Django test client: what each lists, what a kids' account never sees, hostile
parameters, and query counts that stay put as the catalogue grows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.testing.accessibility import html_problems
from apps.core.testing.catalogue import movie_make
from apps.media.models import Episode, Genre, Movie
from apps.playback import watch
from apps.playback.models import WatchState

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles_on(html: str) -> list[str]:
    return re.findall(r'<p class="card-title">([^<]*)</p>', html)


def test_home_rows_come_from_the_cached_reads_with_posters_and_progress(catalogue):
    heat = catalogue.movie("Toy Story")
    WatchState.objects.create(
        user=catalogue.member, movie=heat, position=600, duration=4860, last_played_at="2026-01-01T00:00Z"
    )
    response = client_of(catalogue.member).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Continue watching" in html and "Recently added in Movies" in html and "Recently added in Shows" in html
    assert 'aria-valuenow="12"' in html  # 600 of 4860 seconds
    assert re.search(r'src="/api/v1/images/movie/\d+/\?type=poster&amp;v=\w+&amp;w=342" alt="" loading="lazy"', html)
    assert '<span class="card-none" aria-hidden="true">Zodiac</span>' in html  # no artwork: the title instead
    assert html_problems(html) == []


def test_a_kids_account_never_sees_an_r_title_anywhere(catalogue):
    kid = client_of(catalogue.kid)
    heat, wire = catalogue.movie("Heat"), catalogue.show("The Wire")
    WatchState.objects.create(
        user=catalogue.kid, movie=heat, position=900, duration=10200, last_played_at="2026-01-01T00:00Z"
    )
    pages = [
        "/",
        f"/libraries/{catalogue.movies.pk}/",
        f"/libraries/{catalogue.shows.pk}/",
        "/search/?q=heat",
        "/search/?q=wire",
        "/search/?q=pacino",
        f"/libraries/{catalogue.movies.pk}/?letter=H",
    ]
    for url in pages:
        html = kid.get(url).content.decode()
        for title in ("Heat", "Zodiac", "The Wire"):
            assert title not in titles_on(html), (url, title)
    assert kid.get(f"/libraries/{catalogue.movies.pk}/").content.decode().count('class="card"') == 3
    assert "3 titles" in kid.get(f"/libraries/{catalogue.movies.pk}/").content.decode()
    for url in (f"/movies/{heat.pk}/", f"/shows/{wire.pk}/", f"/shows/{wire.pk}/seasons/1/"):
        assert kid.get(url).status_code == 404, url
    pacino = catalogue.movie("Toy Story").credits.get().person
    person = kid.get(f"/people/{pacino.pk}/").content.decode()
    assert titles_on(person) == ["Toy Story"]
    director = catalogue.movie("Heat").credits.get(job="Director").person
    assert kid.get(f"/people/{director.pk}/").status_code == 404


def test_library_sorts_filters_and_jumps(catalogue):
    member, url = client_of(catalogue.member), f"/libraries/{catalogue.movies.pk}/"
    assert titles_on(member.get(url).content.decode()) == [
        "10 Things I Hate About You",
        "Heat",
        "Paddington",
        "Toy Story",
        "Zodiac",
    ]
    assert titles_on(member.get(url + "?sort=year&order=desc").content.decode())[:2] == ["Paddington", "Zodiac"]
    assert titles_on(member.get(url + "?sort=runtime&order=asc").content.decode())[0] == "Toy Story"
    assert titles_on(member.get(url + "?genre=Crime").content.decode()) == ["Heat", "Zodiac"]
    assert titles_on(member.get(url + "?decade=1990").content.decode()) == [
        "10 Things I Hate About You",
        "Heat",
        "Toy Story",
    ]
    assert titles_on(member.get(url + "?certification=PG").content.decode()) == [
        "10 Things I Hate About You",
        "Paddington",
    ]
    assert titles_on(member.get(url + "?letter=%23").content.decode()) == ["10 Things I Hate About You"]
    assert titles_on(member.get(url + "?letter=T").content.decode()) == ["Toy Story"]
    assert titles_on(member.get(url + "?resolution=480p").content.decode())  # the clips are small
    assert titles_on(member.get(url + "?resolution=2160p").content.decode()) == []
    watch.watched_set(user=catalogue.member, movie=catalogue.movie("Heat"), watched=True)
    assert titles_on(member.get(url + "?watched=yes").content.decode()) == ["Heat"]
    assert "Heat" not in titles_on(member.get(url + "?watched=no").content.decode())
    assert member.get(url + "?genre=Crime").content.decode().count("badge-watched") == 1  # Heat's mark
    shows = member.get(f"/libraries/{catalogue.shows.pk}/").content.decode()
    assert titles_on(shows) == ["Bluey", "The Wire"]
    assert 'name="resolution"' not in shows


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page=99999999999999",
        "page=9",
        "sort=price",
        "order=sideways",
        "genre=Nope",
        "decade=1995",
        "decade=abc",
        "certification=%00",
        "watched=maybe",
        "resolution=8k",
        "hdr=HDR11",
        "letter=AB",
        "letter=%00",
        "genre=" + "x" * 5000,
    ],
)
def test_hostile_library_parameters_are_told_never_a_500(catalogue, query):
    response = client_of(catalogue.member).get(f"/libraries/{catalogue.movies.pk}/?{query}")
    assert response.status_code == 400, query
    html = response.content.decode()
    assert 'class="field-error"' in html or 'role="alert"' in html
    assert len(titles_on(html)) == 5  # the bad choice is left out; the rest of the page is there


def test_a_library_page_past_the_end_shows_the_last_page(catalogue):
    for n in range(60):
        movie_make(library=catalogue.movies, title=f"Filler {n:02d}")
    member = client_of(catalogue.member)
    html = member.get(f"/libraries/{catalogue.movies.pk}/?page=2").content.decode()
    assert "Page 2 of 2" in html and len(titles_on(html)) == 65 - 48
    assert 'rel="prev"' in html and 'rel="next"' not in html
    more = member.get(f"/libraries/{catalogue.movies.pk}/?page=2", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="beforeend:#library-grid"' in more and "<html" not in more


def _walk(client: Client, url: str) -> list[str]:
    """Every title of a grid, page after page through its "Next page" links, as someone without JavaScript."""
    titles = []
    for _ in range(10):
        html = client.get(url).content.decode()
        titles += titles_on(html)
        following = re.search(r'<a class="button" href="(\?[^"]*)" rel="next">', html)
        if following is None:
            return titles
        url = url.split("?")[0] + following.group(1).replace("&amp;", "&")
    raise AssertionError("more pages than titles")


def test_every_page_of_a_kids_grid_holds_each_visible_title_once_and_counts_only_those(catalogue):
    crime_drama = catalogue.movie("Heat").genres.all()
    for n in range(100):
        # Half for children, half restricted, interleaved in every sort: the restricted ones must leave no gap.
        movie = movie_make(
            library=catalogue.movies,
            title=f"Filler {n:03d}",
            sort_title=f"filler {n:03d}",
            age_rating=6 if n % 2 else 17,
            year=1990 + n % 10,
        )
        movie.genres.set(crime_drama)  # two genres each: a join would list them twice
    kid, url = client_of(catalogue.kid), f"/libraries/{catalogue.movies.pk}/"
    seen = [f"Filler {n:03d}" for n in range(1, 100, 2)] + ["10 Things I Hate About You", "Toy Story", "Paddington"]
    visible = list(Movie.objects.filter(title__in=seen).order_by("sort_title", "pk").values_list("title", flat=True))
    first = kid.get(url).content.decode()
    assert "53 titles" in first and "Page 1 of 2" in first
    assert _walk(kid, url) == visible
    assert _walk(kid, url + "?order=desc") == visible[::-1]
    by_added = _walk(kid, url + "?sort=added&order=desc")
    assert sorted(by_added) == sorted(visible) and len(set(by_added)) == 53
    shouting = Genre.objects.create(name="CRIME")  # matched by the same case-insensitive choice as Crime
    Movie.objects.get(title="Filler 001").genres.add(shouting)
    crime = kid.get(url + "?genre=Crime").content.decode()
    assert "50 titles" in crime and "Filler 000" not in titles_on(crime)
    assert titles_on(crime).count("Filler 001") == 1
    assert _walk(kid, url + "?genre=Crime&decade=1990&sort=year&order=desc")[:5] == [
        "Filler 099",
        "Filler 089",
        "Filler 079",
        "Filler 069",
        "Filler 059",
    ]
    genres = re.findall(r'<option value="([^"]+)"', crime.split('name="genre"')[1].split("</select>")[0])
    assert "Mystery" not in genres and {"Crime", "Drama", "Family"} <= set(genres)  # Mystery is Zodiac's (R)
    member = client_of(catalogue.member).get(url).content.decode()
    assert "105 titles" in member  # the member's class has its own count, not the kid's


def test_query_counts_stay_put_as_the_catalogue_grows(catalogue):
    member = client_of(catalogue.member)
    urls = ["/", f"/libraries/{catalogue.movies.pk}/", f"/libraries/{catalogue.movies.pk}/?genre=Crime&sort=added"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            from django.core.cache import cache

            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert member.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()  # the session's once-a-minute last-seen write happens here, not in one of the counted rounds
    before = counts()
    for n in range(40):
        movie = movie_make(library=catalogue.movies, title=f"More {n:02d}", certification="R", age_rating=17)
        movie.genres.set(catalogue.movie("Heat").genres.all())
    assert counts() == before


def test_search_groups_hits_and_refuses_bad_queries_with_a_message(catalogue):
    member = client_of(catalogue.member)
    html = member.get("/search/?q=toy+story").content.decode()
    assert "Toy Story" in titles_on(html) and ">Movies <" in html
    people = member.get("/search/?q=pacino").content.decode()
    assert ">People <" in people and "Al Pacino" in titles_on(people)
    for bad in ("", "   ", "x" * 500, "heat%00", "he%07at"):
        response = member.get(f"/search/?q={bad}")
        assert response.status_code == 400, bad
        assert 'role="alert"' in response.content.decode()
    typing = member.get("/search/?q=", headers={"HX-Request": "true"})
    assert typing.status_code == 200  # htmx swaps successes only: the message still replaces the results
    assert member.get("/search/").status_code == 200


def test_movie_detail_and_marking_watched(catalogue):
    member, heat = client_of(catalogue.member), catalogue.movie("Heat")
    WatchState.objects.create(user=catalogue.member, movie=heat, position=2470, duration=10200)
    html = member.get(f"/movies/{heat.pk}/").content.decode()
    assert "Resume from 41:10" in html and f'href="/watch/movie/{heat.pk}/"' in html
    assert "2:50" in html and ">R<" in html and "Crime, Drama" in html and "Heat: a tagline." in html
    assert "Vincent Hanna" in html and "Michael Mann" in html and "/api/v1/images/movie/" in html
    assert "Audio" in html and "Subtitles" in html
    assert html_problems(html) == []
    response = member.post(f"/movies/{heat.pk}/watched/", {"watched": "yes"}, follow=True)
    assert "Marked Heat watched." in response.content.decode()
    assert WatchState.objects.get(user=catalogue.member, movie=heat).watched
    assert member.post(f"/movies/{heat.pk}/watched/", {"watched": "maybe"}, follow=True).status_code == 200
    assert WatchState.objects.get(user=catalogue.member, movie=heat).watched  # a bad value changes nothing
    assert member.get(f"/movies/{heat.pk}/watched/").status_code == 405
    assert client_of(catalogue.kid).post(f"/movies/{heat.pk}/watched/", {"watched": "yes"}).status_code == 404


def test_show_season_and_person_pages(catalogue):
    member, bluey = client_of(catalogue.member), catalogue.show("Bluey")
    show = member.get(f"/shows/{bluey.pk}/").content.decode()
    assert f'href="/shows/{bluey.pk}/seasons/1/"' in show and "2 episodes" in show
    first = Episode.objects.get(show=bluey, episode_number=1)
    watch.watched_set(user=catalogue.member, episode=first, watched=True)
    season = member.get(f"/shows/{bluey.pk}/seasons/1/").content.decode()
    assert f'href="/watch/episode/{first.pk}/"' in season and "S1 E2" in season
    assert season.count("badge-ok") == 1 and "/api/v1/images/episode/" in season
    assert html_problems(season) == []
    assert member.get(f"/shows/{bluey.pk}/seasons/7/").status_code == 404
    second = Episode.objects.get(show=bluey, episode_number=2)
    marked = member.post(f"/episodes/{second.pk}/watched/", {"watched": "yes"})
    assert marked.status_code == 302 and marked["Location"].endswith(
        f"/shows/{bluey.pk}/seasons/1/#episode-{second.pk}"
    )
    assert WatchState.objects.get(user=catalogue.member, episode=second).watched
    assert member.post(f"/episodes/{second.pk}/watched/", {"watched": ""}).status_code == 302
    assert WatchState.objects.get(user=catalogue.member, episode=second).watched  # a bad value changes nothing
    wire = Episode.objects.filter(show__title="The Wire").first()
    assert client_of(catalogue.kid).post(f"/episodes/{wire.pk}/watched/", {"watched": "yes"}).status_code == 404
    assert not WatchState.objects.filter(episode=wire).exists()
    assert member.get("/movies/999999/").status_code == 404 and member.get("/people/999999/").status_code == 404
    pacino = catalogue.movie("Heat").credits.get(kind="cast").person
    person = member.get(f"/people/{pacino.pk}/").content.decode()
    assert titles_on(person) == ["Toy Story", "Heat"] or set(titles_on(person)) == {"Toy Story", "Heat"}
    assert "/api/v1/images/person/" in person
    assert "Born in New York" in person


def test_requests_that_arrived_are_on_home_for_whoever_asked_and_may_see_them(catalogue):
    from apps.requests.models import MediaRequest

    paddington, heat = catalogue.movie("Paddington"), catalogue.movie("Heat")
    for user, movie in ((catalogue.kid, paddington), (catalogue.kid, heat), (catalogue.member, heat)):
        MediaRequest.objects.create(
            kind="movie", tmdb_id=movie.pk, title=movie.title, requested_by=user, status="available", movie=movie
        )
    MediaRequest.objects.create(kind="movie", tmdb_id=999, title="Not yet", requested_by=catalogue.kid)
    kid = client_of(catalogue.kid).get("/").content.decode()
    row = kid.split("Requested by you and now available")[1]
    assert titles_on(row) == ["Paddington"]  # Heat arrived too, but is above the kid's age limit
    member = client_of(catalogue.member).get("/").content.decode()
    assert titles_on(member.split("Requested by you and now available")[1]) == ["Heat"]


def test_a_library_granted_to_nobody_is_not_there_for_a_member(catalogue):
    from apps.core.testing.catalogue import hide

    bluey = catalogue.show("Bluey")
    hide(catalogue.shows)
    member = client_of(catalogue.member)
    for url in (f"/libraries/{catalogue.shows.pk}/", f"/shows/{bluey.pk}/", f"/shows/{bluey.pk}/seasons/1/"):
        assert member.get(url).status_code == 404, url
    home = member.get("/").content.decode()
    assert "Recently added in Shows" not in home and "Bluey" not in titles_on(home)
    assert "Bluey" not in titles_on(member.get("/search/?q=bluey").content.decode())
