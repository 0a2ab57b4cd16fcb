"""GET /api/v1/images/{owner}/{id}/: sizes, formats by Accept, caching headers, and visibility like the item's."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from apps.accounts.services import users
from apps.core.testing.catalogue import MOVIE_NFO, SHOW_NFO
from apps.core.testing.clients import client_for
from apps.core.testing.images import image_bytes
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media.images import image_url
from apps.media.models import Artwork, Credit, Episode, Movie, Person, Season, Show
from apps.metadata.images.fetch import artworks_fetch
from apps.metadata.images.store import image_store
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db

WEBP_ACCEPT = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"  # what Chrome asks for images
SAFARI_OLD = "image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5"  # no WebP


@pytest.fixture(autouse=True)
def images_dir(settings, tmp_path):
    settings.IMAGES_DIR = tmp_path / "data" / "images"
    return settings.IMAGES_DIR


@pytest.fixture
def movies(tmp_path, place):
    root = tmp_path / "movies"
    for title, mpaa, seed in (("Visible", "G", 1), ("Hidden", "NC-17", 2)):
        folder = f"{title} (2000)"
        place(root, f"{folder}/{folder}.mkv")
        place(root, f"{folder}/movie.nfo", content=MOVIE_NFO.format(title=title, year=2000, mpaa=mpaa).encode())
        place(root, f"{folder}/poster.jpg", content=image_bytes(1000, 1500, seed=seed))
    place(root, "Visible (2000)/logo.png", content=image_bytes(800, 310, fmt="PNG", alpha=True))
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    assert artworks_fetch(library=library).stored == 3
    return root


@pytest.fixture
def kid():
    user = user_make("kid")
    return users.user_update(user=user, by=None, settings_overrides={"max_parental_age": 12}) or user


def poster_url(title: str) -> str:
    return image_url(Artwork.objects.get(movie__title=title, kind="poster"))


def url_of(title: str, **query: str | int) -> str:
    movie = Movie.objects.get(title=title)
    return f"/api/v1/images/movie/{movie.pk}/?" + "&".join(f"{k}={v}" for k, v in query.items())


def picture(response) -> Image.Image:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return Image.open(io.BytesIO(data))


def test_widths_snap_up_and_the_original_is_never_upscaled(movies, user):
    client = client_for(user)
    for asked, served in (("92", (92, 138)), ("300", (342, 513)), ("780", (780, 1170))):
        response = client.get(url_of("Visible", w=asked), HTTP_ACCEPT="image/jpeg")
        assert response.status_code == 200
        assert picture(response).size == served
    for asked in ("1280", "5000", "original"):  # 1280 is past the 1000 px image: the original, not a blow-up
        response = client.get(url_of("Visible", w=asked), HTTP_ACCEPT="image/jpeg")
        assert picture(response).size == (1000, 1500)
    # No width: the stored bytes as they are.
    response = client.get(url_of("Visible"), HTTP_ACCEPT="image/jpeg")
    assert b"".join(response.streaming_content) == (movies / "Visible (2000)/poster.jpg").read_bytes()


def test_webp_when_the_client_says_so_jpeg_otherwise(movies, user):
    client = client_for(user)
    cases = [(WEBP_ACCEPT, "image/webp", "WEBP"), (SAFARI_OLD, "image/jpeg", "JPEG"), ("", "image/jpeg", "JPEG")]
    cases.append(("image/webp;q=0, image/jpeg", "image/jpeg", "JPEG"))
    for accept, content_type, fmt in cases:
        response = client.get(url_of("Visible", w=185), HTTP_ACCEPT=accept)
        assert response.status_code == 200, accept
        assert response["Content-Type"] == content_type
        assert picture(response).format == fmt
        assert response["Vary"] == "Accept"


def test_transparent_artwork_comes_as_png_without_webp(movies, user):
    client = client_for(user)
    response = client.get(url_of("Visible", type="logo", w=342), HTTP_ACCEPT=SAFARI_OLD)
    image = picture(response)
    assert (response["Content-Type"], image.mode, image.getpixel((2, 2))[3]) == ("image/png", "RGBA", 0)
    assert picture(client.get(url_of("Visible", type="logo", w=342), HTTP_ACCEPT=WEBP_ACCEPT)).format == "WEBP"


def test_the_etag_answers_304_and_changes_with_width_format_and_image(movies, user):
    client = client_for(user)
    first = client.get(url_of("Visible", w=342), HTTP_ACCEPT=WEBP_ACCEPT)
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url_of("Visible", w=342), HTTP_ACCEPT=WEBP_ACCEPT, HTTP_IF_NONE_MATCH=header)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag and again["Vary"] == "Accept"
    stale = client.get(url_of("Visible", w=342), HTTP_ACCEPT=WEBP_ACCEPT, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200
    others = {
        client.get(url_of("Visible", w=185), HTTP_ACCEPT=WEBP_ACCEPT)["ETag"],
        client.get(url_of("Visible", w=342), HTTP_ACCEPT="image/jpeg")["ETag"],
    }
    assert etag not in others and len(others) == 2
    # The operator swaps the poster and the artwork is fetched again: a new hash, a new ETag, a new URL.
    (movies / "Visible (2000)/poster.jpg").write_bytes(image_bytes(1000, 1500, seed=9))
    Artwork.objects.filter(movie__title="Visible", kind="poster").update(content_hash="")
    artworks_fetch()
    changed = client.get(url_of("Visible", w=342), HTTP_ACCEPT=WEBP_ACCEPT, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_only_a_url_with_the_current_hash_is_cached_forever(movies, user):
    client = client_for(user)
    current = client.get(poster_url("Visible") + "&w=342")
    assert current["Cache-Control"] == "public, max-age=31536000, immutable"
    for url in (url_of("Visible", w=342), url_of("Visible", w=342, v="0123456789abcdef")):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, max-age=300"


def test_a_hidden_movies_images_are_404_like_unknown_ones(movies, kid, user):
    assert client_for(kid).get(url_of("Visible", w=92)).status_code == 200
    hidden = client_for(kid).get(url_of("Hidden", w=92))
    assert hidden.status_code == 404 and hidden.json()["detail"] == "No such image."
    assert client_for(user).get(url_of("Hidden", w=92)).status_code == 200
    for url in (
        "/api/v1/images/movie/999999/",
        url_of("Visible", type="banner"),  # a type it has no image of
        "/api/v1/images/book/1/",
        "/api/v1/images/movie/1.5/",
    ):
        assert client_for(user).get(url).status_code == 404, url


def test_an_image_not_yet_fetched_or_refused_is_404(movies, user):
    movie = Movie.objects.get(title="Visible")
    Artwork.objects.filter(movie=movie, kind="logo").update(content_hash="", width=None)  # pending again
    assert client_for(user).get(url_of("Visible", type="logo")).status_code == 404
    Artwork.objects.filter(movie=movie, kind="logo").update(error="not an image (text)")
    assert client_for(user).get(url_of("Visible", type="logo")).status_code == 404


def test_bad_widths_and_types_are_400_with_a_message(movies, user):
    client = client_for(user)
    for w in ("abc", "0", "-5", "1e3", "٣٤٢", "342.0", "%20342", "1000001"):
        response = client.get(url_of("Visible", w=w), HTTP_ACCEPT="image/webp")  # errors come as JSON all the same
        assert response.status_code == 400, w
        assert "w is a width in pixels" in response.json()["detail"]
    response = client.get(url_of("Visible", type="<script>"))
    assert response.status_code == 400 and "type must be one of" in response.json()["detail"]


def test_only_signed_in_users_see_images(movies, api_client):
    assert api_client.get(poster_url("Visible")).status_code in (401, 403)


def test_a_person_is_seen_only_through_a_title_the_user_sees(movies, kid):
    visible, hidden = Movie.objects.get(title="Visible"), Movie.objects.get(title="Hidden")
    people = {}
    for name, movie, seed in (("Star", visible, 5), ("Villain", hidden, 6), ("Nobody", None, 7)):
        person = Person.objects.create(name=name)
        if movie:
            Credit.objects.create(person=person, movie=movie, kind="cast", character="x")
        stored = image_store(data=image_bytes(400, 600, seed=seed))
        Artwork.objects.create(
            person=person, kind="profile", source="tmdb", path=f"/{name}.jpg", content_hash=stored.content_hash,
            width=stored.width, height=stored.height, blurhash=stored.blurhash,
        )  # fmt: skip
        people[name] = person
    client = client_for(kid)
    assert client.get(f"/api/v1/images/person/{people['Star'].pk}/?w=185").status_code == 200
    assert client.get(f"/api/v1/images/person/{people['Villain'].pk}/?w=185").status_code == 404
    assert client.get(f"/api/v1/images/person/{people['Nobody'].pk}/?w=185").status_code == 404
    Credit.objects.create(person=people["Villain"], movie=visible, kind="crew", job="Director")
    assert client.get(f"/api/v1/images/person/{people['Villain'].pk}/").status_code == 200


def test_show_season_and_episode_artwork_follow_the_show(tmp_path, place, kid, user):
    root = tmp_path / "shows"
    place(root, "Cartoon/tvshow.nfo", content=SHOW_NFO.format(title="Cartoon", mpaa="TV-Y").encode())
    place(root, "Cartoon/Season 01/Cartoon - S01E01.mkv")
    place(root, "Cartoon/poster.jpg", content=image_bytes(500, 750, seed=1))
    place(root, "Cartoon/season01-poster.jpg", content=image_bytes(500, 750, seed=2))
    place(root, "Cartoon/Season 01/Cartoon - S01E01-thumb.jpg", content=image_bytes(640, 360, seed=3))
    place(root, "Gore/tvshow.nfo", content=SHOW_NFO.format(title="Gore", mpaa="TV-MA").encode())
    place(root, "Gore/Season 01/Gore - S01E01.mkv")
    place(root, "Gore/poster.jpg", content=image_bytes(500, 750, seed=4))
    place(root, "Gore/season01-poster.jpg", content=image_bytes(500, 750, seed=5))
    place(root, "Gore/Season 01/Gore - S01E01-thumb.jpg", content=image_bytes(640, 360, seed=6))
    library = library_services.library_create(name="Shows", kind="shows", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    assert artworks_fetch(library=library).stored == 6
    for title, status in (("Cartoon", 200), ("Gore", 404)):
        show = Show.objects.get(title=title)
        season = Season.objects.get(show=show, season_number=1)
        episode = Episode.objects.get(show=show)
        for url in (f"show/{show.pk}/", f"season/{season.pk}/", f"episode/{episode.pk}/"):
            assert client_for(kid).get(f"/api/v1/images/{url}?w=92").status_code == status, (title, url)
            assert client_for(user).get(f"/api/v1/images/{url}?w=92").status_code == 200, (title, url)


def test_a_cached_image_is_served_in_few_queries_and_writes_nothing(movies, kid):
    client = client_for(kid)
    url = poster_url("Visible") + "&w=342"
    assert client.get(url, HTTP_ACCEPT=WEBP_ACCEPT).status_code == 200  # the variant is made, settings cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT=WEBP_ACCEPT)
    assert response.status_code == 200
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert set(statements) <= {"SELECT"}, statements
    # Which image the kid was shown a moment ago is remembered (per user, under the scopes of what they see): no query.
    assert statements == [], [q["sql"] for q in queries.captured_queries]


def test_a_remembered_image_is_refused_once_the_title_is_hidden(movies, kid):
    client = client_for(kid)
    url = poster_url("Visible") + "&w=342"
    assert client.get(url).status_code == 200
    library = Movie.objects.get(title="Visible").library
    library_services.library_grants_set(library=library, roles={}, users={}, by=None)  # nobody but admins
    assert client.get(url).status_code == 404
    assert client_for(user_make("boss", role="admin")).get(url).status_code == 200


def test_a_remembered_image_follows_a_limit_change(movies, kid):
    client = client_for(kid)
    url = poster_url("Visible")
    assert client.get(url).status_code == 200
    users.user_update(
        user=kid, by=None, settings_overrides={"max_parental_age": 12, "allowed_library_kinds": ["shows"]}
    )
    assert client.get(url).status_code == 404


def test_hostile_image_requests_answer_400_or_404_and_remember_nothing(movies, kid):
    client = client_for(kid)
    hidden = Movie.objects.get(title="Hidden")
    for query in ("w=-1", "w=1e3", "w=%EF%BC%93", "w=0", "type=../../etc", "type=poster%00"):
        assert client.get(f"/api/v1/images/movie/{hidden.pk}/?{query}").status_code == 400, query
    for _ in range(2):  # asked twice: a refusal is never remembered as an answer
        assert client.get(f"/api/v1/images/movie/{hidden.pk}/?w=342").status_code == 404
    assert client.get("/api/v1/images/movie/99999999/?w=342").status_code == 404
    assert client.get("/api/v1/images/movie/1%2F..%2F2/").status_code == 404
