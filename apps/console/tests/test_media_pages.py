"""The console's movie, show and episode pages: what a scanned real clip's file reads as (1:52:07-style numbers,
"HEVC Main 10 HDR10", "5.1 E-AC-3 English", subtitles), artwork and cast through the image API, seasons."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.console import humanize
from apps.console.tests.media_world import HEVC, world_make
from apps.core.testing.accessibility import html_problems
from apps.core.testing.catalogue import hide
from apps.core.testing.people import user_make
from apps.media.models import Episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path, tmdb):
    return world_make(tmp_path, tmdb=tmdb)


@pytest.fixture
def boss() -> Client:
    client = Client()
    client.force_login(user_make("boss", role=Role.ADMIN))
    return client


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_movie_page_reads_the_file_as_an_operator_would(world, boss):
    response = boss.get(f"/admin/media/movie/{world.movie.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(html)
    film = world.film
    assert humanize.duration(film.duration) == "0:03"
    assert "Duration 0:03" in text
    assert f"Size {humanize.filesize(film.size)}" in text and re.search(r"Size \d+(\.\d)? kB", text)
    assert re.search(r"Bitrate \d+(\.\d)? (kb/s|Mb/s)", text)
    assert ("HEVC Main 10 HDR10" if HEVC == "libx265" else "H.264") in text
    assert "128x72 · 10 fps" in text
    assert "5.1 E-AC-3 English" in text
    assert "English (forced) · SRT" in text
    # What TMDb said, with links to where each id is known.
    assert "Heat" in text and "A Los Angeles crime saga." in text and "Obsessive master thief" in text
    for genre in ("Action", "Crime", "Drama"):
        assert f'<span class="cm-genre">{genre}</span>' in html
    assert '<span class="cm-cert" title="Certification">R</span>' in html
    assert 'href="https://www.themoviedb.org/movie/949"' in html
    assert 'href="https://www.imdb.com/title/tt0113277/"' in html
    assert "Director: Michael Mann" in text
    assert "Al Pacino" in text and "Lt. Vincent Hanna" in text


def test_images_come_from_the_image_api_and_are_served(world, boss):
    html = boss.get(f"/admin/media/movie/{world.movie.pk}/change/").content.decode()
    poster = re.search(r'class="cm-poster" src="([^"]+)"', html).group(1)
    backdrop = re.search(r'class="cm-backdrop" src="([^"]+)"', html).group(1)
    photos = re.findall(r'<img src="(/api/v1/images/person/[^"]+)"', html)
    assert poster.startswith(f"/api/v1/images/movie/{world.movie.pk}/?type=poster") and "w=342" in poster
    assert backdrop.startswith(f"/api/v1/images/movie/{world.movie.pk}/?type=fanart")
    assert len(photos) == 2
    for url in (poster, backdrop, *photos):
        answer = boss.get(url.replace("&amp;", "&"))
        assert answer.status_code == 200 and answer["Content-Type"].startswith("image/"), url


def test_the_show_page_lists_seasons_and_episodes_that_link_to_their_pages(world, boss):
    html = boss.get(f"/admin/media/show/{world.show.pk}/change/").content.decode()
    text = text_of(html)
    assert "Season 1 · 2 episodes" in text and "S01E01" in text and "S01E02" in text
    for episode in Episode.objects.filter(show=world.show):
        assert f'href="/admin/media/episode/{episode.pk}/change/"' in html
    assert text.count("0:02") >= 2  # each episode's running time
    assert 'href="https://www.themoviedb.org/tv/4607"' in html


def test_the_episode_page_shows_its_file_and_a_preview_button(world, boss):
    episode = Episode.objects.get(show=world.show, episode_number=1)
    html = boss.get(f"/admin/media/episode/{episode.pk}/change/").content.decode()
    text = text_of(html)
    assert "Lost · S01E01 · Episode 1" in text
    assert "Lost S01E01.mkv" in text and "Duration 0:02" in text and "Stereo AAC" in text
    assert f'data-preview-file="{episode.files.get().pk}"' in html
    assert "vendor/hls/hls.min.js" in html and "console/preview.js" in html
    assert f'href="/admin/media/show/{world.show.pk}/change/"' in html


@pytest.mark.parametrize("kind", ["movie", "show", "episode"])
def test_pages_have_no_duplicate_ids_or_unlabelled_inputs(world, boss, kind):
    pk = {"movie": world.movie.pk, "show": world.show.pk, "episode": Episode.objects.first().pk}[kind]
    html = boss.get(f"/admin/media/{kind}/{pk}/change/").content.decode()
    assert html_problems(html) == []


def test_the_box_is_for_managers_and_members_are_sent_to_sign_in(world):
    hide(world.movies)
    mod, member = Client(), Client()
    mod.force_login(user_make("mod", role=Role.MODERATOR))
    member.force_login(user_make("alice", is_staff=True))
    box = f"/admin/console/media/movie/{world.movie.pk}/metadata/"
    assert mod.get(box).status_code == 403  # sees every library, manages none
    assert mod.post(box, {"action": "refresh"}).status_code == 403
    assert member.get(box)["Location"].startswith("/admin/login/")
