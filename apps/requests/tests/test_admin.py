"""The admin's approval queue: bulk approve and decline through the services, rank rules included."""

from __future__ import annotations

import pytest

from apps.requests.models import MediaRequest

pytestmark = pytest.mark.django_db
QUEUE = "/admin/requests/mediarequest/"


def test_bulk_approve_and_decline(servers, people, client):
    one = MediaRequest.objects.create(kind="movie", tmdb_id=1, title="One", requested_by=people.member)
    two = MediaRequest.objects.create(kind="movie", tmdb_id=2, title="Two", requested_by=people.other)
    boss = MediaRequest.objects.create(kind="movie", tmdb_id=3, title="Boss", requested_by=people.admin)
    client.force_login(people.moderator)
    assert client.get(QUEUE).status_code == 200
    page = client.post(QUEUE, {"action": "approve", "_selected_action": [one.pk, boss.pk]}, follow=True)
    assert b"ranked above you" in page.content
    one.refresh_from_db()
    boss.refresh_from_db()
    assert (one.status, boss.status) == ("approved", "pending")
    confirm = client.post(QUEUE, {"action": "decline", "_selected_action": [two.pk]})
    assert confirm.status_code == 200 and b"Decline 1 request" in confirm.content
    client.post(QUEUE, {"action": "decline", "_selected_action": [two.pk], "apply": "1", "reason": "Not here"})
    two.refresh_from_db()
    assert (two.status, two.decline_reason) == ("declined", "Not here")
