"""The dashboard's panels: what each operator may see, the live partials, and the actions (through services)."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from apps.accounts.models import LoginLockout
from apps.libraries.models import LibraryScan, ScanError
from apps.playback.models import PlaybackSession
from apps.requests.models import MediaRequest

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def panel(client, name: str) -> str:
    response = client.get(f"/admin/console/panels/{name}/", **HTMX)
    assert response.status_code == 200, name
    return response.content.decode()


def test_now_playing_shows_every_live_stream_to_an_admin(world, signed_in):
    html = panel(signed_in(world.boss), "now-playing")
    assert "<html" not in html  # a partial, for htmx to swap in
    assert f'data-session="{world.alice_plays.pk}"' in html and f'data-session="{world.boss_plays.pk}"' in html
    assert "Living room TV" in html and "30:00</span> / 1:00:00" in html and "8.1 Mb/s" in html
    assert "2 streams" in html and "1 transcode" in html and "End stream" in html


def test_a_moderator_sees_no_admins_stream_and_no_server_health(world, signed_in):
    client = signed_in(world.mod)
    html = panel(client, "now-playing")
    assert f'data-session="{world.alice_plays.pk}"' in html
    assert f'data-session="{world.boss_plays.pk}"' not in html
    assert "1 stream " in html or "1 stream<" in html
    assert "console-dots" not in panel(client, "work")
    assert "console-dots" in panel(signed_in(world.boss), "work")


def test_stopped_and_idle_sessions_are_not_playing(world, signed_in, settings):
    PlaybackSession.objects.filter(pk=world.alice_plays.pk).update(state=PlaybackSession.State.STOPPED)
    long_ago = timezone.now() - timezone.timedelta(minutes=settings.TRANSCODE_IDLE_MINUTES + 1)
    PlaybackSession.objects.filter(pk=world.boss_plays.pk).update(last_seen_at=long_ago)
    html = panel(signed_in(world.boss), "now-playing")
    assert "Nobody is playing anything." in html and "0 streams" in html


def test_the_dashboard_renders_every_panel_with_its_poll(world, signed_in):
    response = signed_in(world.boss).get("/admin/")
    html = response.content.decode()
    for name in ("now-playing", "work", "attention", "libraries"):
        assert f'id="panel-{name}"' in html
        assert f'hx-get="/admin/console/panels/{name}/"' in html
    assert 'hx-trigger="every 2s' in html
    assert "Every section of the console" in html


@pytest.mark.parametrize("name", ["nothing", "NOW-PLAYING", "now_playing"])
def test_an_unknown_panel_is_not_found(world, signed_in, name):
    assert signed_in(world.boss).get(f"/admin/console/panels/{name}/", **HTMX).status_code == 404


def test_hostile_panel_paths_are_not_found(world, signed_in):
    client = signed_in(world.boss)
    for path in ("/admin/console/panels/../../etc/passwd/", "/admin/console/panels/%00/", "/admin/console/panels/"):
        assert client.get(path).status_code in (301, 302, 404), path


def test_ending_a_stream_with_a_message(world, signed_in):
    client = signed_in(world.boss)
    url = f"/admin/console/sessions/{world.alice_plays.pk}/end/"
    response = client.post(url, {"message": "Server maintenance " + "x" * 1000}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ended alice" in html and f'data-session="{world.alice_plays.pk}"' not in html
    session = PlaybackSession.objects.get(pk=world.alice_plays.pk)
    assert session.state == PlaybackSession.State.STOPPED and session.stop_reason == "terminated"
    assert session.message.startswith("Server maintenance") and len(session.message) == 500


def test_ending_a_stream_without_htmx_goes_back_to_the_dashboard(world, signed_in):
    response = signed_in(world.boss).post(f"/admin/console/sessions/{world.alice_plays.pk}/end/", {"message": ""})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert PlaybackSession.objects.get(pk=world.alice_plays.pk).message == "Your stream was ended by an admin."


def test_a_moderator_cannot_end_an_admins_stream(world, signed_in):
    client = signed_in(world.mod)
    assert client.post(f"/admin/console/sessions/{world.boss_plays.pk}/end/", **HTMX).status_code == 404
    assert PlaybackSession.objects.get(pk=world.boss_plays.pk).state == PlaybackSession.State.PLAYING


def test_ending_refuses_gets_strangers_and_garbage(world, signed_in):
    client = signed_in(world.boss)
    assert client.get(f"/admin/console/sessions/{world.alice_plays.pk}/end/").status_code == 405
    assert client.post(f"/admin/console/sessions/{uuid.uuid4()}/end/").status_code == 404
    assert client.post("/admin/console/sessions/not-a-uuid/end/").status_code == 404
    assert signed_in(world.alice).post(f"/admin/console/sessions/{world.alice_plays.pk}/end/").status_code == 302
    assert PlaybackSession.objects.get(pk=world.alice_plays.pk).state == PlaybackSession.State.PLAYING


def _pending(world, title="Dune") -> MediaRequest:
    return MediaRequest.objects.create(kind="movie", tmdb_id=438631, title=title, year=2021, requested_by=world.alice)


def test_declining_a_request_from_the_dashboard(world, signed_in):
    request = _pending(world)
    client = signed_in(world.mod)
    assert "Dune" in panel(client, "attention")
    response = client.post(f"/admin/console/requests/{request.pk}/decline/", {"reason": "Not on this server"}, **HTMX)
    assert "Declined Dune." in response.content.decode()
    request.refresh_from_db()
    assert request.status == MediaRequest.Status.DECLINED and request.decline_reason == "Not on this server"
    assert request.approved_by == world.mod


def test_approving_without_a_server_says_why_and_changes_nothing(world, signed_in):
    request = _pending(world)
    response = signed_in(world.boss).post(f"/admin/console/requests/{request.pk}/approve/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html and "Dune:" in html
    request.refresh_from_db()
    assert request.status == MediaRequest.Status.PENDING and request.approved_by is None


def test_request_actions_refuse_what_they_do_not_know(world, signed_in):
    request = _pending(world)
    client = signed_in(world.boss)
    assert client.post(f"/admin/console/requests/{request.pk}/delete/").status_code == 404
    assert client.post("/admin/console/requests/999999/approve/").status_code == 404
    assert client.get(f"/admin/console/requests/{request.pk}/approve/").status_code == 405
    assert client.post(f"/admin/console/requests/{request.pk}/decline/", {"reason": "y" * 5000}).status_code == 302
    request.refresh_from_db()
    assert request.status == MediaRequest.Status.DECLINED and len(request.decline_reason) == 500


def test_a_declined_request_cannot_be_declined_again(world, signed_in):
    request = _pending(world)
    client = signed_in(world.boss)
    client.post(f"/admin/console/requests/{request.pk}/decline/", {"reason": "first"})
    response = client.post(f"/admin/console/requests/{request.pk}/decline/", {"reason": "second"}, **HTMX)
    assert 'role="alert"' in response.content.decode()
    request.refresh_from_db()
    assert request.decline_reason == "first"


def test_needs_attention_lists_only_the_last_scans_errors(world, signed_in):
    old = LibraryScan.objects.filter(library=world.library).latest("created_at")
    ScanError.objects.create(scan=old, path="/old/broken.mkv", reason="from an earlier scan")
    LibraryScan.objects.filter(pk=old.pk).update(errors=1)
    new = LibraryScan.objects.create(
        library=world.library, status=LibraryScan.Status.COMPLETED, errors=5, started_at=timezone.now()
    )
    for n in range(5):
        ScanError.objects.create(scan=new, path=f"/movies/bad{n}.mkv", reason="<b>no streams</b>")
    html = panel(signed_in(world.mod), "attention")
    assert "5 files could not be read" in html
    assert "bad0.mkv" in html and "bad2.mkv" in html and "bad3.mkv" not in html
    assert "/old/broken.mkv" not in html
    assert "&lt;b&gt;no streams&lt;/b&gt;" in html  # a file's name or reason is text, never markup


def test_lockouts_are_for_those_who_may_see_them(world, signed_in):
    LoginLockout.objects.create(scope="ip", key="192.0.2.9", failures=5, permanent=True)
    LoginLockout.objects.create(scope="ip", key="192.0.2.10", failures=5, locked_until=timezone.now())
    assert "1 sign-in lock</a> in force" in panel(signed_in(world.boss), "attention")
    assert "sign-in lock" not in panel(signed_in(world.mod), "attention")


def test_the_library_summary(world, signed_in):
    html = panel(signed_in(world.boss), "libraries")
    assert f'data-library="{world.library.pk}"' in html
    assert "<td>2</td><td>2</td>" in html  # two titles, two files
    assert "Heat" in html and "Alien" in html and "Recently added" in html
