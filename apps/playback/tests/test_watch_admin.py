"""The playback admin: sessions and progress to look at, never to edit; the stream token stays hidden."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.testing.catalogue import session_for
from apps.playback import watch

pytestmark = pytest.mark.django_db


def test_sessions_are_listed_filtered_and_read_only(admin_client, catalogue):
    live = session_for(catalogue.user, movie=catalogue.heat, device="Living room TV", bytes_sent=123_456)
    done = session_for(catalogue.kid, movie=catalogue.alien, method="transcode")
    watch.session_stop(session=done, position=100)
    listing = admin_client.get("/admin/playback/playbacksession/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Heat" in page and "Alien" in page and "Living room TV" in page and "123456" in page
    stopped = admin_client.get("/admin/playback/playbacksession/", {"state": "stopped"}).content.decode()
    assert "Alien" in stopped and "Heat" not in stopped
    transcoded = admin_client.get("/admin/playback/playbacksession/", {"method": "transcode"}).content.decode()
    assert "Alien" in transcoded and "Heat" not in transcoded
    found = admin_client.get("/admin/playback/playbacksession/", {"q": "alice"}).content.decode()
    assert "Heat" in found and "Alien" not in found
    detail = admin_client.get(f"/admin/playback/playbacksession/{live.pk}/change/")
    assert detail.status_code == 200 and live.token not in detail.content.decode()
    assert admin_client.get("/admin/playback/playbacksession/add/").status_code == 403
    assert admin_client.post(f"/admin/playback/playbacksession/{live.pk}/delete/", {"post": "yes"}).status_code == 403


def test_watch_states_are_listed_read_only(admin_client, catalogue):
    watch.session_progress(session=session_for(catalogue.user, movie=catalogue.heat), position=600)
    listing = admin_client.get("/admin/playback/watchstate/", {"q": "Heat"})
    assert listing.status_code == 200 and "Heat (1995)" in listing.content.decode()
    assert admin_client.get("/admin/playback/watchstate/add/").status_code == 403


def test_a_moderator_sees_the_sessions_of_users_they_manage(catalogue):
    session_for(catalogue.user, movie=catalogue.heat)
    session_for(catalogue.boss, movie=catalogue.secret)
    catalogue.moderator.is_staff = True
    catalogue.moderator.save()
    browser = Client()
    browser.force_login(catalogue.moderator)
    page = browser.get("/admin/playback/playbacksession/")
    assert page.status_code == 200
    assert "Heat" in page.content.decode() and "Secret" not in page.content.decode()


def test_a_manager_ends_streams_from_the_admin_but_only_those_of_users_they_manage(
    catalogue, django_capture_on_commit_callbacks
):
    member = session_for(catalogue.user, movie=catalogue.heat, method="transcode", transcode_state="running")
    boss = session_for(catalogue.boss, movie=catalogue.secret)
    catalogue.moderator.is_staff = True
    catalogue.moderator.save()
    browser = Client()
    browser.force_login(catalogue.moderator)
    listing = browser.get("/admin/playback/playbacksession/").content.decode()
    assert "running 0 %" in listing
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(
            "/admin/playback/playbacksession/",
            {"action": "terminate", "_selected_action": [str(member.pk), str(boss.pk)]},
            follow=True,
        )
    assert "1 stream(s) ended." in answer.content.decode()
    member.refresh_from_db()
    boss.refresh_from_db()
    assert (member.state, member.stop_reason, member.transcode_state) == ("stopped", "terminated", "stopped")
    assert boss.state == "playing", "an admin's stream is not a moderator's to end"
