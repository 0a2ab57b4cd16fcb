"""Starting a session from a signed-in browser (the session cookie and CSRF, not a token): request.user is then
Django's lazy user, which the start's limit check must still lock by its model."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.testing.catalogue import library_of
from apps.core.testing.media import make_clip
from apps.playback.models import PlaybackSession

pytestmark = pytest.mark.django_db


def test_a_browser_session_starts_and_stops_playback(tmp_path, user):
    make_clip(tmp_path / "movies" / "Heat (1995)" / "Heat (1995).mp4", seconds=1)
    media_file = library_of(tmp_path / "movies")[0]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    token = "t" * 32  # the CSRF cookie a page of the site would have set, and the header a script sends back
    browser.cookies["csrftoken"] = token
    refused = browser.post("/api/v1/playback/sessions/", {"file": media_file.pk}, content_type="application/json")
    assert refused.status_code == 403  # no CSRF token, no session
    started = browser.post(
        "/api/v1/playback/sessions/",
        {"file": media_file.pk, "device_profile": "browser"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert started.status_code == 201, started.content
    stopped = browser.post(
        f"/api/v1/playback/sessions/{started.json()['id']}/stop/",
        {"position": 0.5},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert stopped.status_code == 200
    assert not PlaybackSession.objects.get(pk=started.json()["id"]).is_active
