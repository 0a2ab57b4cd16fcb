"""The player in a real browser (Debian's Chromium through Playwright) against the live server and a real transcode
worker: direct play and HLS transcodes play, subtitles, resume, the next episode, a manager's stop, a broken file.
Times from "Play" to the first frame and from a far seek to playing again are printed, never asserted."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.media import make_clip, make_film
from apps.core.testing.people import PASSWORD, user_make
from apps.core.testing.workers import running_worker
from apps.libraries import services as libraries
from apps.media.models import Episode, Movie
from apps.playback import services
from apps.playback.models import PlaybackSession
from apps.playback.preferences import playback_preference_update
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SRT = "1\n00:00:00,000 --> 00:00:30,000\nHello from the sidecar\n"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))


def library(root: Path, *, kind: str = "movies") -> None:
    made = libraries.library_create(name=kind.title(), kind=kind, paths=[str(root)])
    libraries.library_grants_set(library=made, roles={"user": ["view_library"]}, users={}, by=None)
    scanning.scan_run(scan=scanning.scan_begin(library=made))


@pytest.fixture
def transcoder(settings, tmp_path):
    settings.TRANSCODE_DIR = tmp_path / "transcode"
    with running_worker("transcode") as worker:
        yield worker


def current_time(page) -> float:
    return page.evaluate("document.getElementById('player-video').currentTime")


def playing_past(page, seconds: float, *, timeout: float = 60) -> None:
    page.wait_for_function(
        f"document.getElementById('player-video').currentTime > {seconds}", timeout=timeout * 1000, polling=100
    )


def first_frame_after(page, action) -> float:
    """Seconds from `action` until the video shows a picture and its clock moves."""
    started = time.monotonic()
    action()
    page.wait_for_function(
        "(() => { const v = document.getElementById('player-video'); return v.readyState >= 2 && !v.paused"
        " && v.currentTime > 0.05; })()",
        timeout=60_000,
        polling=50,
    )
    return time.monotonic() - started


def seek_bar_to(page, seconds: float) -> None:
    """What dragging the seek bar does: its input events, then its change."""
    page.eval_on_selector(
        "#player-seekbar",
        "(bar, at) => { bar.value = String(at); bar.dispatchEvent(new Event('input', {bubbles: true}));"
        " bar.dispatchEvent(new Event('change', {bubbles: true})); }",
        seconds,
    )


def no_error_shown(page) -> None:
    expect(page.locator("#player-message")).to_be_hidden()


def checks(page) -> None:
    assert axe_violations(page) == []
    assert html_problems(page.content()) == []


def test_a_transcoded_title_plays_through_hls(page, transcoder, tmp_path):
    # MPEG-4 Part 2 in AVI: nothing a browser plays, so the server transcodes it to H.264 in HLS.
    make_clip(
        tmp_path / "movies" / "Heat (1995)" / "Heat (1995).avi",
        width=320, height=240, seconds=20, fps=24, video_codec="mpeg4", audio_codec="mp2",
    )  # fmt: skip
    library(tmp_path / "movies")
    user_make("alice")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")
    checks(page)
    shoot(page, "web-player-start")

    seconds = first_frame_after(page, lambda: page.get_by_role("button", name="Play").click())

    print(f"\nPlay to first frame, transcode (mpeg4 320x240 -> HLS H.264): {seconds:.2f} s")
    playing_past(page, 5)
    no_error_shown(page)
    expect(page.locator("#player-method")).to_have_text("Transcoding")
    session = PlaybackSession.objects.get()
    assert session.method == "transcode" and session.state == "playing"
    page.get_by_role("button", name="Quality").click()
    # A transcode keeps the session's own variant (each switch restarts the encoder) until the viewer picks Auto.
    expect(page.get_by_role("menu", name="Quality").locator('[aria-checked="true"]')).to_be_focused()
    expect(page.get_by_role("menuitemradio", name="Auto")).to_have_attribute("aria-checked", "false")
    checks(page)
    shoot(page, "web-player-quality")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Quality")).to_be_focused()
    page.keyboard.press("k")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    _wait(lambda: PlaybackSession.objects.get().state == "paused", "the pause reported")
    page.keyboard.press("k")
    _wait(lambda: PlaybackSession.objects.get().state == "playing", "the resume reported")


def _wait(condition, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_direct_play_title_with_an_srt_sidecar_plays_with_its_subtitle(page, tmp_path):
    folder = tmp_path / "movies" / "Alien (1979)"
    make_clip(folder / "Alien (1979).mp4", width=320, height=240, seconds=30, fps=10)
    (folder / "Alien (1979).en.srt").write_text(SRT)
    library(tmp_path / "movies")
    user_make("alice")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")

    seconds = first_frame_after(page, lambda: page.get_by_role("button", name="Play").click())

    print(f"\nPlay to first frame, direct play (H.264 MP4): {seconds:.2f} s")
    expect(page.locator("#player-method")).to_have_text("Direct play")
    assert PlaybackSession.objects.get().method == "direct"
    page.get_by_role("button", name="Subtitles").click()
    page.get_by_role("menuitemradio", name="English").click()
    expect(page.get_by_role("button", name="Subtitles")).to_be_focused()
    page.wait_for_function(
        "Array.from(document.getElementById('player-video').textTracks).some(t => t.mode === 'showing'"
        " && t.activeCues && t.activeCues.length && t.activeCues[0].text === 'Hello from the sidecar')"
    )
    playing_past(page, 2)
    no_error_shown(page)
    page.get_by_role("button", name="Subtitles").click()
    expect(page.get_by_role("menuitemradio", name="English")).to_have_attribute("aria-checked", "true")
    checks(page)
    shoot(page, "web-player-subtitles")
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 390, "height": 844})
    page.mouse.move(200, 400)  # the controls show again
    checks(page)
    shoot(page, "web-player-phone")
    page.keyboard.press("c")  # the shortcut turns them off again
    page.wait_for_function(
        "Array.from(document.getElementById('player-video').textTracks).every(t => t.mode !== 'showing')"
    )


def test_the_viewers_subtitle_default_is_on_from_the_start(page, tmp_path):
    folder = tmp_path / "movies" / "Alien (1979)"
    make_clip(folder / "Alien (1979).mp4", width=320, height=240, seconds=30, fps=10)
    (folder / "Alien (1979).en.srt").write_text(SRT)
    library(tmp_path / "movies")
    playback_preference_update(user=user_make("alice"), subtitle_language="English", subtitles="always")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "Array.from(document.getElementById('player-video').textTracks).some(t => t.mode === 'showing'"
        " && t.activeCues && t.activeCues.length && t.activeCues[0].text === 'Hello from the sidecar')"
    )
    page.get_by_role("button", name="Subtitles").click()
    expect(page.get_by_role("menuitemradio", name="English")).to_have_attribute("aria-checked", "true")
    no_error_shown(page)


def test_stopping_at_a_minute_then_reopening_offers_resume(page, tmp_path):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mp4", width=64, height=48, seconds=150, fps=2)
    library(tmp_path / "movies")
    user_make("alice")
    sign_in(page, "alice")
    url = f"/watch/movie/{Movie.objects.get().pk}/"
    page.goto(url)
    page.get_by_role("button", name="Play").click()
    playing_past(page, 0.2)
    seek_bar_to(page, 60)
    playing_past(page, 60.2)

    page.goto("/")  # leaving the page stops the session with its position
    _wait(lambda: PlaybackSession.objects.get().state == "stopped", "the stop on leaving")
    page.goto(url)

    resume = page.get_by_role("button", name=re.compile(r"^Resume from 1:0\d$"))
    expect(resume).to_be_visible()
    expect(page.get_by_role("button", name="Start over")).to_be_visible()
    checks(page)
    shoot(page, "web-player-resume")
    resume.click()
    playing_past(page, 60)
    assert PlaybackSession.objects.order_by("-started_at").first().start_position >= 59
    page.keyboard.press("ArrowRight")  # 10 s on
    playing_past(page, 69)


def test_the_next_episode_starts_after_the_last_one_ends(page, tmp_path):
    for number in (1, 2):
        make_clip(
            tmp_path / "tv" / "Lost" / "Season 01" / f"Lost - S01E0{number}.mp4", width=64, height=48, seconds=3, fps=10
        )
    library(tmp_path / "tv", kind="shows")
    user_make("alice")
    sign_in(page, "alice")
    first, second = Episode.objects.order_by("episode_number")
    page.goto(f"/watch/episode/{first.pk}/")
    page.get_by_role("button", name="Play").click()

    overlay = page.get_by_role("region", name="Next episode")
    expect(overlay).to_be_visible(timeout=30_000)
    expect(overlay).to_contain_text("Lost · S01E02")
    checks(page)
    shoot(page, "web-player-next")
    expect(page).to_have_url(re.compile(rf"/watch/episode/{second.pk}/$"), timeout=20_000)  # after the countdown

    expect(page.locator(".player-title")).to_contain_text("S01E02")
    _wait(lambda: PlaybackSession.objects.filter(episode=second).exists(), "the next episode's session")
    expect(page.locator("#player")).to_have_attribute(
        "data-session", str(PlaybackSession.objects.get(episode=second).pk)
    )
    playing_past(page, 0.5)
    no_error_shown(page)
    assert PlaybackSession.objects.get(episode=first).state == "stopped"


def test_a_manager_ending_the_stream_is_told_in_the_player(page, tmp_path):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mp4", width=64, height=48, seconds=120, fps=2)
    library(tmp_path / "movies")
    user_make("alice")
    boss = user_make("boss", role="admin")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")
    page.get_by_role("button", name="Play").click()
    playing_past(page, 0.2)

    services.session_terminate(session=PlaybackSession.objects.get(), by=boss, message="Server maintenance at noon.")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Stopped by the server's manager", timeout=30_000)
    expect(alert).to_contain_text("Server maintenance at noon.")
    assert page.evaluate("document.getElementById('player-video').paused")
    checks(page)
    shoot(page, "web-player-stopped")


def test_a_file_that_cannot_be_played_shows_why(page, tmp_path):
    path = make_clip(tmp_path / "movies" / "Broken (2000)" / "Broken (2000).mp4", width=64, height=48, seconds=4)
    library(tmp_path / "movies")
    path.write_bytes(b"\x00not a film any more" * 5000)  # replaced on disk after the scan
    user_make("alice")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")
    page.get_by_role("button", name="Play").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Playback failed", timeout=30_000)
    checks(page)
    shoot(page, "web-player-error")


def test_far_seek_in_a_1080p_to_720p_transcode_figures(page, transcoder, tmp_path):
    # A film's keyframes: every 4 s, so the restart decodes up to 4 s it does not show before the target.
    make_film(tmp_path / "movies" / "Big (2020)" / "Big (2020).mkv", seconds=90, keyframe_seconds=4)
    library(tmp_path / "movies")
    user_make("alice", settings_overrides={"max_transcode_height": 720})
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")

    first = first_frame_after(page, lambda: page.get_by_role("button", name="Play").click())
    assert PlaybackSession.objects.get().method == "transcode"
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    playing_past(page, 1)
    started = time.monotonic()
    seek_bar_to(page, 63)
    page.wait_for_function(
        "(() => { const v = document.getElementById('player-video'); return !v.seeking && !v.paused"
        " && v.readyState >= 3 && v.currentTime > 63.2; })()",
        timeout=60_000,
        polling=50,
    )
    seek = time.monotonic() - started

    print(f"\nPlay to first frame, transcode 1080p -> 720p: {first:.2f} s; far seek (to 63 s) to playing: {seek:.2f} s")
    # The player asked the playlist from there, whose segment at 63 s (60-66 s) comes in 1 s parts: 63-64 s is part
    # 3, where the transcode started again; all of it in the session's own variant (720p, not hls.js's lowest).
    assert any("720p/index.m3u8?from=63.000" in url for url in asked)
    assert any(url.endswith("/720p/segment_00012_3.ts") for url in asked)
    assert not any("/segment_00012_2.ts" in url or "/480p/" in url for url in asked), asked
    stored = PlaybackSession.objects.get()
    assert (stored.profile, stored.transcode_start_segment, stored.transcode_start_part) == ("720p", 12, 3)
    no_error_shown(page)
    checks(page)
    shoot(page, "web-player-playing")


def test_without_hls_js_the_browsers_own_hls_plays_a_transcode(page, transcoder, tmp_path):
    """Safari's path: the master playlist straight into <video> (Chromium's own HLS stands in for it here)."""
    if not page.evaluate("document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"):
        pytest.skip("this Chromium has no HLS of its own")
    make_clip(
        tmp_path / "movies" / "Heat (1995)" / "Heat (1995).avi",
        width=320, height=240, seconds=20, fps=24, video_codec="mpeg4", audio_codec="mp2",
    )  # fmt: skip
    library(tmp_path / "movies")
    user_make("alice")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/?hls=native")
    page.get_by_role("button", name="Play").click()

    playing_past(page, 5)

    no_error_shown(page)
    assert page.evaluate("document.getElementById('player-video').src").endswith("/master.m3u8")


def test_another_audio_track_starts_a_session_with_it_where_the_viewer_was(page, tmp_path):
    make_clip(
        tmp_path / "movies" / "Dub (2000)" / "Dub (2000).mp4",
        width=64, height=48, seconds=60, fps=5, audio_language=["eng", "ger"],
    )  # fmt: skip
    library(tmp_path / "movies")
    user_make("alice")
    sign_in(page, "alice")
    page.goto(f"/watch/movie/{Movie.objects.get().pk}/")
    page.get_by_role("button", name="Play").click()
    playing_past(page, 1)

    page.get_by_role("button", name="Audio").click()
    expect(page.get_by_role("menuitemradio", name=re.compile("^English"))).to_have_attribute("aria-checked", "true")
    page.get_by_role("menuitemradio", name=re.compile("^German")).click()

    _wait(lambda: PlaybackSession.objects.count() == 2, "a session with the German track")
    first, second = PlaybackSession.objects.order_by("started_at")
    assert first.state == "stopped" and second.audio_index == 2 and second.start_position >= 1
    playing_past(page, second.start_position + 0.5)
    no_error_shown(page)
    page.get_by_role("button", name="Audio").click()
    expect(page.get_by_role("menuitemradio", name=re.compile("^German"))).to_have_attribute("aria-checked", "true")
