"""Continue watching and next up: the right items, in the right order, only what the viewer may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.core import caching
from apps.core.testing.catalogue import episode, session_for
from apps.media.models import Episode
from apps.playback import watch
from apps.playback.watch_selectors import episodes_next_up, watch_states_in_progress

pytestmark = pytest.mark.django_db


def play(user, *, position: float, duration: float = 3600, **item) -> None:
    watch.session_progress(session=session_for(user, duration=duration, **item), position=position)


def seen(user, show: str, *numbers: tuple[int, int]) -> None:
    for season, number in numbers:
        watch.watched_set(user=user, episode=episode(show, season, number), watched=True)


def names(states) -> list[str]:
    return [state.movie.title if state.movie else str(state.episode) for state in states]


def test_continue_watching_lists_started_unfinished_items_newest_first(catalogue):
    user = catalogue.user
    play(user, movie=catalogue.heat, position=600)
    play(user, episode=episode("Lost", 1, 2), position=300, duration=2400)
    play(user, movie=catalogue.alien, position=20)  # under 30 s: an accidental start
    play(user, movie=catalogue.adult, position=100, duration=7200)  # under 2 %
    assert names(watch_states_in_progress(user=user)) == ["Lost S01E02", "Heat"]
    play(user, movie=catalogue.heat, position=3500)  # finished: gone
    play(user, movie=catalogue.alien, position=200)
    assert names(watch_states_in_progress(user=user)) == ["Alien", "Lost S01E02"]


def test_continue_watching_respects_grants_and_limits(catalogue):
    for who in (catalogue.user, catalogue.kid):
        play(who, movie=catalogue.heat, position=600)
        play(who, movie=catalogue.adult, position=600)
        play(who, movie=catalogue.secret, position=600)
        play(who, episode=episode("Grim", 1, 1), position=600)
        play(who, episode=episode("Hush", 1, 1), position=600)
    assert sorted(names(watch_states_in_progress(user=catalogue.user))) == ["Adult", "Grim S01E01", "Heat"]
    assert names(watch_states_in_progress(user=catalogue.kid)) == ["Heat"], "over the age limit: not listed for a kid"


def test_next_up_follows_the_last_watched_episode_across_seasons(catalogue):
    user = catalogue.user
    assert episodes_next_up(user=user) == []
    seen(user, "Lost", (1, 1), (1, 2))
    assert [str(e) for e in episodes_next_up(user=user)] == ["Lost S01E03"]
    seen(user, "Lost", (1, 3))
    assert [str(e) for e in episodes_next_up(user=user)] == ["Lost S02E01"]
    seen(user, "Lost", (2, 1), (2, 2))
    assert episodes_next_up(user=user) == [], "all watched: nothing next"
    watch.watched_set(user=user, episode=episode("Lost", 2, 2), watched=False)
    assert [str(e) for e in episodes_next_up(user=user)] == ["Lost S02E02"]


def test_next_up_goes_on_after_the_furthest_episode_and_ignores_specials(catalogue):
    user = catalogue.user
    special = Episode.objects.get(show__title="Lost", season__season_number=0)
    watch.watched_set(user=user, episode=special, watched=True)
    assert episodes_next_up(user=user) == [], "a special alone starts nothing"
    seen(user, "Lost", (1, 1), (2, 1))  # skipped ahead: next is after the furthest one
    assert [str(e) for e in episodes_next_up(user=user)] == ["Lost S02E02"]


def test_next_up_one_per_show_newest_activity_first_with_progress(catalogue):
    user = catalogue.user
    seen(user, "Lost", (1, 1))
    seen(user, "Grim", (1, 1))
    assert [str(e) for e in episodes_next_up(user=user)] == ["Grim S01E02", "Lost S01E02"]
    play(user, episode=episode("Lost", 1, 2), position=900, duration=1800)
    up = episodes_next_up(user=user)
    assert [str(e) for e in up] == ["Lost S01E02", "Grim S01E02"]
    assert (up[0].resume_position, up[0].resume_duration) == (900, 1800)


def test_next_up_respects_grants_and_limits(catalogue):
    for who in (catalogue.user, catalogue.kid):
        seen(who, "Lost", (1, 1))
        seen(who, "Grim", (1, 1))
        seen(who, "Hush", (1, 1))
    assert sorted(str(e) for e in episodes_next_up(user=catalogue.user)) == ["Grim S01E02", "Lost S01E02"]
    assert [str(e) for e in episodes_next_up(user=catalogue.kid)] == ["Lost S01E02"], (
        "over the age limit: not offered to a kid"
    )


def test_the_lists_over_http(catalogue):
    api = APIClient()
    api.force_authenticate(catalogue.kid)
    play(catalogue.kid, episode=episode("Lost", 1, 1), position=1800, duration=2400)
    seen(catalogue.kid, "Lost", (1, 2))
    play(catalogue.kid, movie=catalogue.adult, position=600)
    body = api.get("/api/v1/playback/continue-watching/").json()
    assert body["count"] == 1
    item = body["results"][0]["item"]
    assert item == {
        "kind": "episode",
        "id": episode("Lost", 1, 1).pk,
        "title": "Lost S01E01",
        "year": None,
        "show": {"id": episode("Lost", 1, 1).show_id, "title": "Lost"},
        "season": 1,
        "episode": 1,
        "position": 1800.0,
        "duration": 2400.0,
        "percent": 75.0,
    }
    assert body["results"][0]["watched"] is False
    up = api.get("/api/v1/playback/next-up/").json()
    assert [(r["item"]["season"], r["item"]["episode"], r["item"]["position"]) for r in up["results"]] == [(1, 3, 0)]


def _queries(api, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["continue-watching", "next-up", "history"])
def test_query_count_does_not_grow_with_the_list(catalogue, path, django_assert_max_num_queries):
    user, api = catalogue.user, APIClient()
    api.force_authenticate(user)
    play(user, movie=catalogue.heat, position=600)
    seen(user, "Lost", (1, 1))
    _queries(api, f"/api/v1/playback/{path}/")  # settings and permissions are cached from here on
    caching.bump(caching.watching(user.pk))  # the row itself computed again, as after any progress
    one = _queries(api, f"/api/v1/playback/{path}/")
    play(user, movie=catalogue.alien, position=600)
    play(user, movie=catalogue.adult, position=600)
    play(user, episode=episode("Lost", 1, 3), position=600)
    play(user, episode=episode("Lost", 2, 1), position=600)
    seen(user, "Grim", (1, 1))
    seen(user, "Lost", (1, 2))
    with django_assert_max_num_queries(one):
        assert api.get(f"/api/v1/playback/{path}/").json()["count"] > 1
