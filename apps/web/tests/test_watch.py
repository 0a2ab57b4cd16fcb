"""The player pages: who gets a player for what, the settings the page hands the browser, and hostile URLs."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.core.testing.catalogue import MOVIE_NFO, episode, hide, scanned
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as libraries
from apps.media.models import Episode, MediaFile, Movie
from apps.playback import services, watch
from apps.playback.plan import Capabilities

pytestmark = pytest.mark.django_db
SRT = "1\n00:00:00,500 --> 00:00:02,000\nHello\n"


@pytest.fixture
def shelf(tmp_path, place, user):
    movies = scanned(
        place,
        tmp_path / "movies",
        name="Movies",
        kind="movies",
        files={
            "Heat (1995)/Heat (1995).mkv": None,
            "Heat (1995)/Heat (1995).en.srt": SRT,
            "Adult (2002)/Adult (2002).mkv": None,
            "Adult (2002)/movie.nfo": MOVIE_NFO.format(title="Adult", year=2002, mpaa="R"),
        },
    )
    tv = scanned(
        place,
        tmp_path / "tv",
        name="TV",
        kind="shows",
        files={f"Lost/Season 01/Lost - S01E0{n}.mkv": None for n in (1, 2, 3)}
        | {"Lost/Specials/Lost - S00E01.mkv": None},
    )
    private = scanned(
        place, tmp_path / "private", name="Private", kind="movies", files={"Secret (2001)/Secret (2001).mkv": None}
    )
    hide(private)
    boss = user_make("boss", role="admin")
    user_make("kid", role=kids_role_make())
    for library in (movies, tv):
        libraries.library_grants_set(
            library=library, roles={"user": ["view_library"], "kids": ["view_library"]}, users={}, by=boss
        )
    return movies


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def config_of(response) -> dict:
    match = re.search(
        r'<script id="player-config" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page carries the player's settings"
    return json.loads(match.group(1))


def test_a_visible_movie_gets_a_player_with_its_file_and_tracks(shelf, user):
    heat = Movie.objects.get(title="Heat")

    response = signed_in(user).get(f"/watch/movie/{heat.pk}/")

    assert response.status_code == 200
    config = config_of(response)
    assert config["file"] == MediaFile.objects.get(movie=heat).pk
    assert config["title"] == "Heat (1995)" and config["resume"] is None and config["next"] is None
    assert config["api"] == {"decision": "/api/v1/playback/decision/", "sessions": "/api/v1/playback/sessions/"}
    (subtitle,) = config["subtitles"]
    assert subtitle["label"] == "English" and subtitle["burn"] is False
    assert [track["index"] for track in config["audio"]] == [1]
    page = response.content.decode()
    assert 'aria-label="Seek"' in page and "vendor/hls/hls.min.js" in page and "Play</button>" in page
    assert "site-header" not in page, "full screen: no site header"


def test_the_webvtt_of_a_text_subtitle_for_direct_play(shelf, user):
    heat = Movie.objects.get(title="Heat")
    config = config_of(signed_in(user).get(f"/watch/movie/{heat.pk}/"))

    answer = signed_in(user).get(config["subtitles"][0]["src"])

    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/vtt")
    assert "00:00:00.500 --> 00:00:02.000\nHello" in answer.content.decode()
    file_id = config["file"]
    assert signed_in(user).get(f"/watch/subtitles/{file_id}/s999999.vtt").status_code == 404
    assert signed_in(user).get(f"/watch/subtitles/{file_id}/e0.vtt").status_code == 404, "the video is not a subtitle"
    secret = MediaFile.objects.get(movie__title="Secret")
    assert signed_in(user).get(f"/watch/subtitles/{secret.pk}/s1.vtt").status_code == 404
    assert signed_in(user).get(f"/watch/subtitles/{2**40}/s1.vtt").status_code == 404


def test_hidden_and_age_limited_titles_answer_404(shelf, user):
    secret, adult = Movie.objects.get(title="Secret"), Movie.objects.get(title="Adult")
    kid = User.objects.get(username="kid")

    assert signed_in(user).get(f"/watch/movie/{secret.pk}/").status_code == 404
    assert signed_in(kid).get(f"/watch/movie/{adult.pk}/").status_code == 404
    assert signed_in(user).get(f"/watch/movie/{adult.pk}/").status_code == 200
    assert signed_in(user_make("boss2", role="admin")).get(f"/watch/movie/{secret.pk}/").status_code == 200


def test_a_title_without_a_playable_file_answers_404(shelf, user):
    heat = Movie.objects.get(title="Heat")
    MediaFile.objects.filter(movie=heat).update(movie=None, probe_status=MediaFile.ProbeStatus.FAILED)

    assert signed_in(user).get(f"/watch/movie/{heat.pk}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/watch/movie/0/",
        "/watch/movie/99999999999999999999/",
        "/watch/movie/2147483648/",
        "/watch/movie/-1/",
        "/watch/movie/1e3/",
        "/watch/movie/%00/",
        "/watch/episode/9223372036854775808/",
        "/watch/episode/abc/",
        "/watch/subtitles/1/..%2F..%2Fetc%2Fpasswd.vtt",
    ],
)
def test_hostile_ids_answer_404(shelf, user, path):
    assert signed_in(user).get(path).status_code == 404


def test_signed_out_viewers_are_sent_to_sign_in_and_writes_are_refused(shelf, user):
    heat = Movie.objects.get(title="Heat")

    answer = Client().get(f"/watch/movie/{heat.pk}/")

    assert answer.status_code == 302 and answer["Location"].startswith("/login/?next=/watch/movie/")
    assert signed_in(user).post(f"/watch/movie/{heat.pk}/").status_code == 405


def test_resume_comes_from_the_viewers_progress(shelf, user):
    heat = Movie.objects.get(title="Heat")
    MediaFile.objects.filter(movie=heat).update(duration=6000)
    media_file = MediaFile.objects.get(movie=heat)
    session = services.session_start(user=user, media_file=media_file, client=Capabilities(containers=["mkv"]))
    watch.session_stop(session=session, position=2470)

    response = signed_in(user).get(f"/watch/movie/{heat.pk}/")

    assert config_of(response)["resume"] == 2470
    page = response.content.decode()
    assert 'data-start="resume"' in page and "Start over" in page
    other = signed_in(user_make("bob")).get(f"/watch/movie/{heat.pk}/")
    assert config_of(other)["resume"] is None, "another viewer's progress is their own"


def test_an_episode_offers_the_next_one_and_the_last_none(shelf, user):
    first, last = episode("Lost", 1, 1), episode("Lost", 1, 3)

    config = config_of(signed_in(user).get(f"/watch/episode/{first.pk}/"))

    assert config["title"].startswith("Lost · S01E01")
    assert config["next"] == {"url": f"/watch/episode/{episode('Lost', 1, 2).pk}/", "title": config["next"]["title"]}
    assert config["next"]["title"].startswith("Lost · S01E02")
    assert config_of(signed_in(user).get(f"/watch/episode/{last.pk}/"))["next"] is None
    special = Episode.objects.get(show__title="Lost", season__season_number=0)
    assert config_of(signed_in(user).get(f"/watch/episode/{special.pk}/"))["next"] is None


def test_the_back_link_is_only_ever_a_page_of_this_site(shelf, user):
    heat = Movie.objects.get(title="Heat")
    client = signed_in(user)

    assert config_of(client.get(f"/watch/movie/{heat.pk}/?back=/libraries/1/"))["back"] == "/libraries/1/"
    for hostile in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        assert config_of(client.get(f"/watch/movie/{heat.pk}/", {"back": hostile}))["back"] == "/"


def test_a_signed_in_browser_starts_a_session_with_its_cookie(shelf, user):
    """The player's own request: session cookie and CSRF token, not an API token."""
    heat = MediaFile.objects.get(movie__title="Heat")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(f"/watch/movie/{heat.movie_id}/")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)
    body = {"file": heat.pk, "containers": "mkv,mp4", "video_codecs": "h264", "audio_codecs": "aac"}

    refused = client.post("/api/v1/playback/sessions/", body, content_type="application/json")
    answer = client.post("/api/v1/playback/sessions/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert answer.status_code == 201, answer.content
    assert answer.json()["method"] == "direct" and answer.json()["direct_url"].endswith(
        f"?session={answer.json()['id']}"
    )


def test_a_bitmap_subtitle_is_offered_burned_in(tmp_path, user):
    from apps.core.testing.catalogue import library_of
    from apps.core.testing.subtitles import clip_with_bitmap_subtitles

    folder = tmp_path / "movies" / "Subbed (2000)"
    folder.mkdir(parents=True)
    clip_with_bitmap_subtitles(folder / "Subbed (2000).mkv", kind="pgs")
    (media_file,) = library_of(tmp_path / "movies")
    libraries.library_grants_set(library=media_file.library, roles={"user": ["view_library"]}, users={}, by=None)

    config = config_of(signed_in(user).get(f"/watch/movie/{media_file.movie_id}/"))

    (track,) = config["subtitles"]
    assert track["burn"] is True and track["src"] == "" and track["label"].endswith("(burned in)")
