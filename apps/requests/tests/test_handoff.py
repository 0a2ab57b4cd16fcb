"""Hand-off to Radarr/Sonarr against the stand-ins on 127.0.0.1: the right calls, errors as `failed`, once only."""

from __future__ import annotations

import pytest

from apps.media.models import Movie
from apps.notifications.models import Notification
from apps.requests import handoff, tasks
from apps.requests.arr import ArrServerError
from apps.requests.models import MediaRequest

pytestmark = pytest.mark.django_db


def approved(people, **fields) -> MediaRequest:
    fields.setdefault("kind", "movie")
    fields.setdefault("title", "Heat")
    if fields["kind"] == "movie":
        fields.setdefault("tmdb_id", 949)
    return MediaRequest.objects.create(status="approved", requested_by=people.member, **fields)


def test_an_approved_movie_is_added_to_radarr_monitored_and_searched(servers, people, radarr):
    request = approved(people, server=servers.radarr)
    assert tasks.request_handoff.apply(args=[request.pk]).get() == "processing"
    (body,) = radarr.posts("/api/v3/movie")
    assert body["tmdbId"] == 949 and body["qualityProfileId"] == 4 and body["rootFolderPath"] == "/movies"
    assert body["addOptions"] == {"searchForMovie": True} and body["monitored"] is True and body["tags"] == [2]
    request.refresh_from_db()
    assert (request.status, request.arr_id) == ("processing", 7)
    tasks.request_handoff.apply(args=[request.pk])
    assert len(radarr.posts("/api/v3/movie")) == 1, "running twice never adds twice"


def test_a_show_is_added_to_sonarr_with_the_requested_seasons(servers, people, sonarr):
    request = approved(people, kind="show", tvdb_id=371980, title="Severance", seasons=[2], server=servers.sonarr)
    handoff.request_handoff(request=request)
    (body,) = sonarr.posts("/api/v3/series")
    assert [s for s in body["seasons"] if s["monitored"]] == [{"seasonNumber": 2, "monitored": True}]
    assert body["addOptions"]["searchForMissingEpisodes"] is True and "monitor" not in body["addOptions"]
    assert MediaRequest.objects.get().arr_id == 3
    assert "languageProfileId" not in body, "Sonarr v4 has no language profiles: none is sent unless set"


def test_a_sonarr_v3_language_profile_is_sent_when_the_server_has_one(servers, people, sonarr):
    from apps.requests import services

    assert services.arr_server_options(server=servers.sonarr)["language_profiles"][0] == {"id": 1, "name": "English"}
    servers.sonarr.language_profile_id = 2
    servers.sonarr.save()
    request = approved(people, kind="show", tvdb_id=371980, title="Severance", seasons=[1], server=servers.sonarr)
    handoff.request_handoff(request=request)
    (body,) = sonarr.posts("/api/v3/series")
    assert body["languageProfileId"] == 2


def test_a_title_already_on_the_server_counts_as_added(servers, people, radarr):
    first = approved(people, server=servers.radarr)
    handoff.request_handoff(request=first)
    MediaRequest.objects.filter(pk=first.pk).update(status="available")
    again = approved(people, server=servers.radarr, is_4k=False)
    assert handoff.request_handoff(request=again).status == "processing"
    again.refresh_from_db()
    assert again.arr_id == 7 and again.failure_reason == ""


def test_a_refusal_fails_the_request_with_the_servers_words_and_tells_the_requester(
    servers, people, radarr, django_capture_on_commit_callbacks
):
    request = approved(people, server=servers.radarr, root_folder="/nowhere")
    with django_capture_on_commit_callbacks(execute=True):
        handoff.request_handoff(request=request)
    request.refresh_from_db()
    assert request.status == "failed" and "Root folder '/nowhere' does not exist" in request.failure_reason
    notice = Notification.objects.get(user=people.member)
    assert "Heat" in notice.title and "/nowhere" in notice.body


def test_a_wrong_api_key_fails_with_a_clear_message(servers, people, radarr):
    servers.radarr.api_key = "wrong"
    servers.radarr.save()
    request = handoff.request_handoff(request=approved(people, server=servers.radarr))
    assert request.status == "failed" and "refused the API key" in request.failure_reason
    assert radarr.received[-1][:2] == ("POST", "/api/v3/movie"), "the stand-in checked the key and said 401"


def test_a_server_that_is_down_is_retried_then_failed(servers, people, radarr, settings):
    settings.REQUEST_RETRY_SECONDS = 0.01
    request = approved(people, server=servers.radarr)
    radarr.fail_next = 100
    with pytest.raises(ArrServerError):
        handoff.request_handoff(request=request)
    assert MediaRequest.objects.get().status == "approved", "a transient error leaves it for the next try"
    failed = handoff.request_handoff(request=request, last_attempt=True)
    assert failed.status == "failed" and "gave up" in failed.failure_reason and "503" in failed.failure_reason


def test_no_profile_or_folder_is_a_clear_failure(servers, people):
    servers.radarr.root_folder = ""
    servers.radarr.save()
    request = handoff.request_handoff(request=approved(people, server=servers.radarr))
    assert request.status == "failed" and "root folder" in request.failure_reason


def test_the_poll_asks_the_servers_and_the_catalogue(servers, people, radarr, sonarr, tmp_path):
    from apps.libraries import services as libraries

    movie = approved(people, server=servers.radarr)
    handoff.request_handoff(request=movie)
    show = approved(people, kind="show", tvdb_id=371980, title="Severance", seasons=[1], server=servers.sonarr)
    handoff.request_handoff(request=show)
    assert handoff.requests_poll()["available"] == 0
    radarr.added[7]["hasFile"] = True
    season = next(s for s in sonarr.added[3]["seasons"] if s["seasonNumber"] == 1)
    season["statistics"] = {"episodeFileCount": 5, "episodeCount": 5}
    assert handoff.requests_poll()["available"] == 2
    assert set(MediaRequest.objects.values_list("status", flat=True)) == {"available"}
    # A pending request whose title appeared in a library the requester sees is available too.
    (tmp_path / "m").mkdir()
    library = libraries.library_create(name="M", kind="movies", paths=[str(tmp_path / "m")])
    libraries.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=people.admin)
    arrival = Movie.objects.create(
        library=library, match_key="a", title="Arrival", tmdb_id="329865", has_main_file=True
    )
    pending = MediaRequest.objects.create(kind="movie", tmdb_id=329865, title="Arrival", requested_by=people.member)
    assert handoff.requests_poll()["available"] == 1
    pending.refresh_from_db()
    assert pending.status == "available" and pending.movie == arrival
