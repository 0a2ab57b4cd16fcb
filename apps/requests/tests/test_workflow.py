"""Requesting: search, create or join, quotas, auto-approval, who sees what, rank rules, broken input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.selectors import effective_settings_forget
from apps.accounts.services import users
from apps.media.models import Movie
from apps.notifications.models import Notification
from apps.requests.errors import quota_message
from apps.requests.models import MediaRequest

pytestmark = pytest.mark.django_db
URL = "/api/v1/requests/"
HEAT = {"kind": "movie", "tmdb_id": 949}


def test_a_member_requests_a_movie_and_a_second_member_joins_it(
    servers, people, api, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = api(people.member).post(URL, HEAT, format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["title"], body["year"], body["status"], body["poster"]) == (
        "Heat",
        1995,
        "pending",
        "http://img/heat.jpg",
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = api(people.other).post(URL, HEAT, format="json")
    assert second.status_code == 200 and second.json()["id"] == body["id"]
    request = MediaRequest.objects.get()
    assert list(request.subscribers.all()) == [people.other]
    created = [e for e in received if e.name == "request.created"]
    assert len(created) == 1 and created[0].payload["requester_id"] == people.member.pk
    assert set(created[0].payload) == {"request_id", "title", "media_kind", "requester_id", "subscriber_ids"}
    # A 4K request of the same title is another request.
    four_k = api(people.other).post(URL, {**HEAT, "is_4k": True}, format="json")
    assert four_k.status_code == 503 and four_k.json()["code"] == "no_server"  # no 4K Radarr configured


def test_a_show_by_tvdb_id_with_seasons_or_all(servers, people, api):
    some = api(people.member).post(URL, {"kind": "show", "tvdb_id": 371980, "seasons": [2, 1]}, format="json")
    assert some.status_code == 201 and some.json()["seasons"] == [1, 2]
    unknown = api(people.other).post(URL, {"kind": "show", "tvdb_id": 371980, "seasons": [7]}, format="json")
    assert unknown.status_code == 200, "an open request for the show exists: joined"
    MediaRequest.objects.update(status="declined")
    unknown = api(people.other).post(URL, {"kind": "show", "tvdb_id": 371980, "seasons": [7]}, format="json")
    assert unknown.status_code == 400 and "no season 7" in unknown.json()["errors"]["seasons"][0]
    every = api(people.other).post(URL, {"kind": "show", "tvdb_id": 371980, "seasons": "all"}, format="json")
    assert every.status_code == 201 and every.json()["seasons"] == []


def test_quota_per_period_with_remaining_and_reset_time(servers, people, api, radarr):
    role = people.member.role
    role.request_quota_movies, role.request_quota_days = 1, 7
    role.save()
    effective_settings_forget(user_ids=[people.member.pk])
    assert api(people.member).post(URL, HEAT, format="json").status_code == 201
    refused = api(people.member).post(URL, {"kind": "movie", "tmdb_id": 329865}, format="json")
    assert refused.status_code == 403, refused.content
    body = refused.json()
    assert body["code"] == "quota_exceeded" and body["quota"]["remaining"] == 0 and body["quota"]["limit"] == 1
    assert body["detail"] == "you have used your 1 movie request of the last 7 days"
    first = MediaRequest.objects.get()
    assert body["quota"]["resets_at"] == (first.created_at + timedelta(days=7)).isoformat()
    # Declined requests give their quota back; older ones leave the window.
    MediaRequest.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert api(people.member).post(URL, {"kind": "movie", "tmdb_id": 329865}, format="json").status_code == 201


def test_auto_approved_roles_skip_pending(servers, people, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = api(people.moderator).post(URL, HEAT, format="json")
    assert made.status_code == 201 and made.json()["status"] == "approved"
    request = MediaRequest.objects.get()
    assert request.server == servers.radarr and request.approved_at is not None and request.approved_by is None
    assert len(callbacks) == 3, "created, approved (events) and the hand-off task, all after commit"


def test_members_see_only_their_own_and_joined_requests(servers, people, api):
    mine = MediaRequest.objects.create(kind="movie", tmdb_id=1, title="Mine", requested_by=people.member)
    theirs = MediaRequest.objects.create(kind="movie", tmdb_id=2, title="Theirs", requested_by=people.other)
    joined = MediaRequest.objects.create(kind="movie", tmdb_id=3, title="Joined", requested_by=people.other)
    joined.subscribers.add(people.member)
    member = api(people.member)
    assert {r["id"] for r in member.get(URL).json()["results"]} == {mine.pk, joined.pk}
    assert member.get(f"{URL}{theirs.pk}/").status_code == 404
    assert {r["id"] for r in member.get(URL, {"mine": "false"}).json()["results"]} == set()
    everything = api(people.moderator).get(URL, {"status": "pending", "kind": "movie"}).json()["results"]
    assert {r["id"] for r in everything} == {mine.pk, theirs.pk, joined.pk}
    assert {r["id"] for r in api(people.moderator).get(URL, {"mine": "true"}).json()["results"]} == set()


def test_approve_and_decline_follow_the_rank_rules(servers, people, api, received, django_capture_on_commit_callbacks):
    plain = MediaRequest.objects.create(kind="movie", tmdb_id=1, title="Plain", requested_by=people.member)
    boss = MediaRequest.objects.create(kind="movie", tmdb_id=2, title="Boss", requested_by=people.admin)
    assert api(people.member).post(f"{URL}{plain.pk}/approve/").status_code == 403, "members are no approvers"
    refused = api(people.moderator).post(f"{URL}{boss.pk}/decline/", {"reason": "no"}, format="json")
    assert refused.status_code == 403 and "ranked above you" in refused.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        declined = api(people.moderator).post(f"{URL}{plain.pk}/decline/", {"reason": "Not on this server"})
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Not on this server"
    event = next(e for e in received if e.name == "request.declined")
    assert (event.payload["by_id"], event.payload["reason"]) == (people.moderator.pk, "Not on this server")
    notice = Notification.objects.get(user=people.member)
    assert "declined" in notice.body and "Not on this server" in notice.body
    again = api(people.moderator).post(f"{URL}{plain.pk}/approve/")
    assert again.status_code == 409 and "declined" in again.json()["detail"]
    approved = api(people.admin).post(f"{URL}{boss.pk}/approve/", {"root_folder": "/data/media"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["root_folder"] == "/data/media"


def test_search_marks_what_is_in_a_library_requested_or_pending(servers, people, api, tmp_path):
    from apps.libraries import services as libraries

    (tmp_path / "m").mkdir()
    library = libraries.library_create(name="M", kind="movies", paths=[str(tmp_path / "m")])
    libraries.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=people.admin)
    Movie.objects.create(library=library, match_key="heat", title="Heat", tmdb_id="949", has_main_file=True)
    arrival = MediaRequest.objects.create(kind="movie", tmdb_id=329865, title="Arrival", requested_by=people.other)
    found = api(people.member).get(f"{URL}search/", {"kind": "movie", "q": "heat arrival"})
    assert found.status_code == 200, found.content
    by_title = {r["title"]: r for r in found.json()}
    assert by_title["Heat"]["in_library"] is True and by_title["Heat"]["request_status"] is None
    assert by_title["Arrival"]["request_status"] == "pending" and by_title["Arrival"]["request_id"] is None
    own = api(people.other).get(f"{URL}search/", {"kind": "movie", "q": "arrival"}).json()
    assert own[0]["request_id"] == arrival.pk
    shows = api(people.member).get(f"{URL}search/", {"kind": "show", "q": "severance"}).json()
    assert shows[0]["tvdb_id"] == 371980 and shows[0]["seasons"] == [0, 1, 2]
    # Already in a library the member can see: nothing to request.
    refused = api(people.member).post(URL, HEAT, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "already_available"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "movie"},
        {"kind": "movie", "tmdb_id": "nine"},
        {"kind": "movie", "tmdb_id": -3},
        {"kind": "movie", "tmdb_id": 10**12},
        {"kind": "movie", "tmdb_id": True},
        {"kind": "movie", "tmdb_id": 949, "seasons": [1]},
        {"kind": "show", "tvdb_id": 371980, "seasons": ["one"]},
        {"kind": "show", "tvdb_id": 371980, "seasons": list(range(500))},
        {"kind": "show", "tvdb_id": 371980, "seasons": {"1": True}},
        {"kind": "show"},
        {"kind": "music", "tmdb_id": 1},
        {"kind": "x" * 100_000},
        {"kind": "movie", "tmdb_id": 424242},  # unknown to Radarr
        ["not", "an", "object"],
    ],
)
def test_broken_request_bodies_are_400_with_a_message(servers, people, api, body):
    response = api(people.member).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"] and response.json()["code"] == "invalid"


def test_broken_searches_and_approvals_are_400(servers, people, api):
    member, moderator = api(people.member), api(people.moderator)
    assert member.get(f"{URL}search/", {"kind": "movie", "q": "x" * 201}).status_code == 400
    assert member.get(f"{URL}search/", {"kind": "book", "q": "x"}).status_code == 400
    request = MediaRequest.objects.create(kind="movie", tmdb_id=1, title="T", requested_by=people.member)
    broken = [
        {"server": 99999},
        {"server": servers.sonarr.pk},
        {"quality_profile_id": "HD"},
        {"root_folder": "x" * 501},
    ]
    for body in broken:
        answer = moderator.post(f"{URL}{request.pk}/approve/", body, format="json")
        assert answer.status_code == 400, (body, answer.content)
    assert moderator.post(f"{URL}{request.pk}/decline/", {"reason": "x" * 501}, format="json").status_code == 400
    assert moderator.get(f"{URL}not-a-number/").status_code == 404


def test_guests_may_not_request(servers, people, api):
    assert api(people.guest).post(URL, HEAT, format="json").status_code == 403
    assert api(people.guest).get(f"{URL}search/", {"kind": "movie", "q": "heat"}).status_code == 403


def test_withdrawing_a_request_leaving_one_and_who_may_remove_what(servers, people, api):
    third = users.user_create(username="third", password="x" * 12, by=None)
    made = api(people.member).post(URL, HEAT, format="json").json()
    api(people.other).post(URL, HEAT, format="json")
    api(third).post(URL, HEAT, format="json")
    detail = f"{URL}{made['id']}/"

    assert api(people.guest).delete(detail).status_code == 404, "not theirs to see"
    assert api(third).delete(detail).status_code == 204, "a subscriber leaves"
    assert list(MediaRequest.objects.get().subscribers.all()) == [people.other]
    assert api(people.member).delete(detail).status_code == 204, "the requester withdraws"
    kept = MediaRequest.objects.get()
    assert kept.requested_by == people.other and not kept.subscribers.exists(), "it stays for the one who joined"
    MediaRequest.objects.filter(pk=kept.pk).update(status="processing")
    refused = api(people.other).delete(detail)
    assert refused.status_code == 409 and "processing" in refused.json()["detail"]
    assert api(people.moderator).delete(detail).status_code == 204, "an approver removes it at any stage"
    assert not MediaRequest.objects.exists()
    # An admin's request is not a moderator's to remove.
    admins = api(people.admin).post(URL, {"kind": "movie", "tmdb_id": 329865}, format="json").json()
    assert api(people.moderator).delete(f"{URL}{admins['id']}/").status_code == 403


@pytest.mark.parametrize(
    ("limit", "days", "message"),
    [
        (1, 7, "you have used your 1 show request of the last 7 days"),
        (3, 1, "you have used your 3 show requests of the last day"),
    ],
)
def test_the_quota_message_counts_in_words_a_person_would_use(limit, days, message):
    assert quota_message(limit=limit, kind="show", days=days) == message
