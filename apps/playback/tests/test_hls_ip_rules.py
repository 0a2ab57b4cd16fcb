"""IP rules hold for HLS URLs too: the session's token stands for its user, "staff only from" included."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import IPRule, Role
from apps.accounts.services import users
from apps.core.testing.catalogue import library_of
from apps.playback.models import PlaybackSession

pytestmark = pytest.mark.django_db


def hls_session(user, media_file) -> PlaybackSession:
    return PlaybackSession.objects.create(
        user=user, media_file=media_file, movie_id=media_file.movie_id, title="Heat", method="transcode", duration=1
    )


def test_staff_only_holds_for_hls_tokens(tmp_path, place):
    place(tmp_path / "movies", "Heat (1995)/Heat (1995).mkv")
    [media_file] = library_of(tmp_path / "movies")
    IPRule.objects.create(network="192.168.1.0/24", kind="staff_only")
    admin_role = Role.objects.get(group__name="admin")
    admin = users.user_create(username="boss", password="x" * 12, by=None, role=admin_role)
    member = users.user_create(username="m", password="x" * 12, by=None)
    staff_url = f"/api/v1/playback/hls/{hls_session(admin, media_file).token}/master.m3u8"
    member_url = f"/api/v1/playback/hls/{hls_session(member, media_file).token}/master.m3u8"
    outside, inside = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="192.168.1.5")
    refused = outside.get(staff_url)
    assert refused.status_code == 403 and refused.json()["code"] == "ip_blocked"
    assert outside.get(staff_url.replace("master.m3u8", "subtitles/x.vtt")).status_code == 403
    assert inside.get(staff_url).status_code == 200
    assert outside.get(member_url).status_code == 200
