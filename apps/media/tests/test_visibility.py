"""What a user sees of the catalogue: library grants and content limits, everywhere, at a constant query cost."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.accounts.services import roles, users
from apps.libraries import services as library_services
from apps.media.models import Movie
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db

NFO = "<movie><title>{t}</title><year>2000</year><mpaa>{m}</mpaa>{g}</movie>"


def movie(place, root, title: str, mpaa: str = "", genres: tuple[str, ...] = ()) -> None:
    place(root, f"{title} (2000)/{title} (2000).mkv")
    genre_tags = "".join(f"<genre>{g}</genre>" for g in genres)
    place(root, f"{title} (2000)/movie.nfo", content=NFO.format(t=title, m=mpaa, g=genre_tags).encode())


@pytest.fixture
def catalogue(tmp_path, place):
    root = tmp_path / "movies"
    movie(place, root, "Cartoon", "G", ("Animation",))
    movie(place, root, "Thriller", "R", ("Thriller",))
    movie(place, root, "Horror", "NC-17", ("Horror",))
    movie(place, root, "Mystery", "", ("Drama",))
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return library


def member(**overrides):
    user = users.user_create(username="kid", password="x" * 12, by=None)
    if overrides:
        users.user_update(user=user, by=None, settings_overrides=overrides)
    return user


def titles(api_client, url: str = "/api/v1/movies/") -> list[str]:
    return sorted(m["title"] for m in api_client.get(url).json()["results"])


def test_age_limit_hides_items_in_lists_detail_search_recent_counts_and_files(api_client, catalogue):
    api_client.force_authenticate(member(max_parental_age=13))
    assert titles(api_client) == ["Cartoon", "Mystery"]
    assert api_client.get("/api/v1/movies/").json()["count"] == 2
    assert titles(api_client, "/api/v1/movies/?search=horror") == []
    assert titles(api_client, "/api/v1/movies/?ordering=-added_at") == ["Cartoon", "Mystery"]
    assert titles(api_client, "/api/v1/movies/?genre=horror") == []
    horror = Movie.objects.get(title="Horror")
    assert api_client.get(f"/api/v1/movies/{horror.pk}/").status_code == 404
    file_id = horror.files.get().pk
    assert api_client.get(f"/api/v1/files/{file_id}/").status_code == 404
    assert api_client.get("/api/v1/files/").json()["count"] == 2


def test_unrated_items_can_be_blocked(api_client, catalogue):
    api_client.force_authenticate(member(max_parental_age=13, block_unrated=True))
    assert titles(api_client) == ["Cartoon"]


def test_allowed_and_blocked_genres(api_client, catalogue):
    api_client.force_authenticate(member(blocked_genres=["Horror", "Thriller"]))
    assert titles(api_client) == ["Cartoon", "Mystery"]
    api_client.force_authenticate(member_with_new_overrides(allowed_genres=["Animation"]))
    assert titles(api_client) == ["Cartoon"]


def member_with_new_overrides(**overrides):
    from apps.accounts.models import User

    user = User.objects.get(username="kid")
    users.user_update(user=user, by=None, settings_overrides=overrides)
    return user


def test_allowed_library_kinds(api_client, catalogue):
    api_client.force_authenticate(member(allowed_library_kinds=["shows"]))
    assert titles(api_client) == []
    assert api_client.get("/api/v1/libraries/").json()["count"] == 0


def test_grant_and_role_changes_take_effect_on_the_next_request(api_client, catalogue):
    kid = member()
    api_client.force_authenticate(kid)
    assert len(titles(api_client)) == 4
    library_services.library_grants_set(
        library=catalogue,
        roles={"guest": ["view_library"]},
        users={},
        by=users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin")),
    )
    assert titles(api_client) == []
    users.user_update(user=kid, by=None, role=Role.objects.get(group__name="guest"))
    assert len(titles(api_client)) == 4
    guest = Role.objects.get(group__name="guest")
    guest.max_parental_age = 0
    guest.save()
    assert titles(api_client) == ["Cartoon", "Mystery"]  # unrated items stay unless blocked


LISTS = [
    "/api/v1/movies/",
    "/api/v1/files/",
    "/api/v1/libraries/",
    "/api/v1/scans/",
    "/api/v1/shows/",
    "/api/v1/episodes/",
    "/api/v1/users/",
    "/api/v1/roles/",
]


def add_catalogue(place, tmp_path, first: int, last: int) -> None:
    movies_root, shows_root = tmp_path / f"m{first}", tmp_path / f"s{first}"
    for i in range(first, last):
        movie(place, movies_root, f"Film {i}", "PG", ("Drama", "Comedy"))
        place(shows_root, f"Show {i}/Season 01/Show {i} - S01E01.mkv")
        place(shows_root, f"Show {i}/Season 01/Show {i} - S01E02.mkv")
        users.user_create(username=f"u{i}", password="x" * 12, by=None)
        roles.role_create(name=f"r{i}", rank=5, by=None)
    for name, kind, root in ((f"M{first}", "movies", movies_root), (f"S{first}", "shows", shows_root)):
        library = library_services.library_create(name=name, kind=kind, paths=[str(root)])
        scanning.scan_run(scan=scanning.scan_begin(library=library))


def queries_per_list(api_client) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in LISTS:
        api_client.get(url)  # warm: the first request of a user fills the settings cache
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(url + "?page_size=200")
        assert response.status_code == 200, url
        counts[url] = (len(queries), response.json()["count"])
    return counts


def test_lists_cost_the_same_queries_for_1_and_for_50_results(api_client, tmp_path, place):
    limited = users.user_create(
        username="teen", password="x" * 12, by=None, role=Role.objects.get(group__name="moderator")
    )
    users.user_update(user=limited, by=None, settings_overrides={"max_parental_age": 17})
    api_client.force_authenticate(limited)
    add_catalogue(place, tmp_path, 0, 1)
    small = queries_per_list(api_client)
    add_catalogue(place, tmp_path, 1, 50)
    large = queries_per_list(api_client)
    for url in LISTS:
        assert large[url][1] > small[url][1], (url, small[url], large[url])
        assert small[url][0] == large[url][0], (url, small[url], large[url])
        assert large[url][0] <= 8, (url, large[url])


def test_shows_filter_by_genre_like_movies(api_client, tmp_path, place):
    root = tmp_path / "shows"
    for title, genre in (("Bluey", "Animation"), ("The Wire", "Crime")):
        place(
            root,
            f"{title}/tvshow.nfo",
            content=f"<tvshow><title>{title}</title><genre>{genre}</genre></tvshow>".encode(),
        )
        place(root, f"{title}/Season 01/{title} - S01E01.mkv")
    library = library_services.library_create(name="Shows", kind="shows", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    api_client.force_authenticate(member())
    assert titles(api_client, "/api/v1/shows/?genre=crime") == ["The Wire"]
    assert titles(api_client, "/api/v1/shows/?genre=western") == []
