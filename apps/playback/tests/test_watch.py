"""The watching services: heartbeats move the resume position, watched flag, play count and pause state."""

from __future__ import annotations

import math
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.core.testing.catalogue import episode, scanned, session_for
from apps.media.models import Movie
from apps.playback import watch
from apps.playback.models import PlaybackSession, WatchState

pytestmark = pytest.mark.django_db


@pytest.fixture
def movie(tmp_path, place) -> Movie:
    scanned(place, tmp_path / "movies", name="Movies", kind="movies", files={"Heat (1995)/Heat (1995).mkv": None})
    return Movie.objects.get(title="Heat")


def state_of(user, movie) -> WatchState:
    return WatchState.objects.get(user=user, movie=movie)


def test_heartbeat_keeps_the_resume_position(user, movie):
    session = session_for(user, movie=movie, duration=3600)
    session = watch.session_progress(session=session, position=600)
    assert session.position == 600 and session.last_seen_at >= session.started_at
    state = state_of(user, movie)
    assert (state.position, state.duration, state.watched, state.play_count) == (600, 3600, False, 0)
    assert state.last_played_at is not None
    watch.session_progress(session=session, position=1200.5)
    assert state_of(user, movie).position == 1200.5


def test_watched_at_the_setting_and_counted_once_per_session(user, movie):
    session = session_for(user, movie=movie, duration=1000)
    watch.session_progress(session=session, position=899)
    assert not state_of(user, movie).watched
    for position in (900, 950, 990, 999):
        watch.session_progress(session=session, position=position)
    state = state_of(user, movie)
    assert (state.watched, state.position, state.play_count) == (True, 0, 1)
    assert PlaybackSession.objects.get(pk=session.pk).watched_at is not None
    # Seeking back within the same play neither counts again nor sets a resume position.
    watch.session_progress(session=session, position=100)
    watch.session_progress(session=session, position=950)
    assert (state_of(user, movie).play_count, state_of(user, movie).position) == (1, 0)
    # A second play is a second count.
    again = session_for(user, movie=movie, duration=1000)
    watch.session_progress(session=again, position=300)
    assert state_of(user, movie).position == 300, "a rewatch keeps its resume position until it is done"
    watch.session_progress(session=again, position=995)
    assert state_of(user, movie).play_count == 2


def test_a_lower_setting_marks_watched_earlier(user, movie, settings):
    settings.WATCHED_PERCENT = 80
    session = session_for(user, movie=movie, duration=1000)
    watch.session_progress(session=session, position=799)
    assert not state_of(user, movie).watched
    watch.session_progress(session=session, position=800)
    assert state_of(user, movie).watched


def test_pause_and_resume_emit_once(user, movie, received, django_capture_on_commit_callbacks):
    session = session_for(user, movie=movie)
    with django_capture_on_commit_callbacks(execute=True):
        watch.session_progress(session=session, position=10, paused=True)
        watch.session_progress(session=session, position=10, paused=True)
        watch.session_pause(session=session)
        paused = PlaybackSession.objects.get(pk=session.pk)
        assert paused.state == "paused" and paused.paused_at is not None
        watch.session_resume(session=session, position=12)
        watch.session_resume(session=session)
        watch.session_progress(session=session, position=20, paused=False)
        watch.session_progress(session=session, position=30)
    names = [event.name for event in received if event.name.startswith("playback.")]
    assert names == ["playback.paused", "playback.resumed"]
    assert received[0].payload["item_kind"] == "movie" and received[0].payload["item_id"] == movie.pk
    resumed = PlaybackSession.objects.get(pk=session.pk)
    assert resumed.state == "playing" and resumed.paused_at is None and resumed.position == 30


def test_stop_records_the_position_and_emits_stopped(user, movie, received, django_capture_on_commit_callbacks):
    session = session_for(user, movie=movie)
    with django_capture_on_commit_callbacks(execute=True):
        stopped = watch.session_stop(session=session, position=1500)
        again = watch.session_stop(session=session, position=1600)
    assert stopped.state == "stopped" and stopped.stop_reason == "stopped" and stopped.stopped_at is not None
    assert again.position == 1500, "stopping a stopped session changes nothing"
    assert state_of(user, movie).position == 1500
    assert [e.name for e in received if e.name.startswith("playback.")] == ["playback.stopped"]


def test_a_stopped_session_takes_no_heartbeat(user, movie):
    session = session_for(user, movie=movie)
    watch.session_stop(session=session)
    for call in (
        lambda: watch.session_progress(session=session, position=10),
        lambda: watch.session_pause(session=session),
        lambda: watch.session_resume(session=session, position=10),
    ):
        with pytest.raises(watch.SessionStopped, match="has ended"):
            call()
    assert not WatchState.objects.exists()


@pytest.mark.parametrize(
    "position", [-1, -0.001, math.nan, math.inf, -math.inf, 1e308, 3611, "600", None, True, [1], {"s": 1}]
)
def test_broken_positions_are_refused(user, movie, position):
    session = session_for(user, movie=movie, duration=3600)
    with pytest.raises(ValidationError) as refused:
        watch.session_progress(session=session, position=position)
    assert "position" in refused.value.message_dict
    assert PlaybackSession.objects.get(pk=session.pk).position == 0 and not WatchState.objects.exists()


def test_a_little_past_the_end_is_the_end_and_no_duration_has_a_ceiling(user, movie):
    unknown = session_for(user, movie=movie, duration=None)
    assert watch.session_progress(session=unknown, position=50_000).position == 50_000
    assert not state_of(user, movie).watched, "without a duration there is no threshold"
    with pytest.raises(ValidationError):
        watch.session_progress(session=unknown, position=watch.MAX_POSITION_SECONDS + 1)
    session = session_for(user, movie=movie, duration=3600)
    assert watch.session_progress(session=session, position=3605).position == 3600
    assert state_of(user, movie).watched


def test_a_session_without_an_item_keeps_only_its_own_position(user, movie):
    session = session_for(user, movie=movie)
    PlaybackSession.objects.filter(pk=session.pk).update(movie=None)
    session.refresh_from_db()
    assert watch.session_progress(session=session, position=100).position == 100
    assert not WatchState.objects.exists()


def test_mark_watched_and_unwatched(user, movie, tmp_path, place):
    scanned(place, tmp_path / "tv", name="TV", kind="shows", files={"Lost/Season 01/Lost - S01E01.mkv": None})
    watch.session_progress(session=session_for(user, movie=movie), position=700)
    state = watch.watched_set(user=user, movie=movie, watched=True)
    assert (state.watched, state.position, state.play_count) == (True, 0, 1)
    assert watch.watched_set(user=user, movie=movie, watched=True).play_count == 1, "marking twice counts once"
    state = watch.watched_set(user=user, movie=movie, watched=False)
    assert (state.watched, state.position, state.play_count) == (False, 0, 1)
    pilot = episode("Lost", 1, 1)
    assert watch.watched_set(user=user, episode=pilot, watched=True).episode == pilot
    with pytest.raises(ValidationError):
        watch.watched_set(user=user, watched=True)
    with pytest.raises(ValidationError):
        watch.watched_set(user=user, movie=movie, episode=pilot, watched=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_heartbeats_count_once(user, movie):
    """Two devices' heartbeats of one session past the threshold at once: one play, one count."""
    session = session_for(user, movie=movie, duration=1000)
    barrier, errors = threading.Barrier(4), []

    def beat(position: float) -> None:
        try:
            barrier.wait(timeout=10)
            watch.session_progress(session=session, position=position)
        except Exception as exc:  # reported below: a thread's exception does not fail the test by itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat, args=(950 + i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    state = state_of(user, movie)
    assert (state.watched, state.play_count) == (True, 1)
