"""Approved requests go to Radarr/Sonarr; imports come back as indexed files; the poll catches what was missed."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import dispatch
from apps.media.models import MediaFile, Movie, Show
from apps.media.selectors import movies_visible_to, shows_visible_to
from apps.requests import selectors, services
from apps.requests.arr import ArrClient, ArrError, ArrRejected, ArrServerError, ArrUnreachable
from apps.requests.models import ArrServer, MediaRequest

logger = logging.getLogger(__name__)
Status = MediaRequest.Status
TRANSIENT = (ArrUnreachable, ArrServerError)  # worth another try later; anything else is the server's "no"
LOST_HANDOFF = timedelta(minutes=15)


def request_handoff(*, request: MediaRequest, last_attempt: bool = False) -> MediaRequest:
    """Add the approved request's title to its server once; TRANSIENT errors propagate unless it is the last try.

    The row stays locked while the server is asked, so a second run waits and then finds it handed off.
    """
    with transaction.atomic():
        request = MediaRequest.objects.select_for_update(of=("self",)).select_related("server").get(pk=request.pk)
        if request.status != Status.APPROVED or request.arr_id is not None:
            return request  # handed off already, or declined/available meanwhile: nothing to do
        server = request.server
        if server is None or not server.enabled:
            return services.request_fail(request=request, reason="no enabled Radarr/Sonarr server to send it to")
        profile = request.quality_profile_id or server.quality_profile_id
        folder = request.root_folder or server.root_folder
        if not profile or not folder:
            reason = f"{server.name} has no default quality profile and root folder; choose them when approving"
            return services.request_fail(request=request, reason=reason)
        try:
            arr_id = _add(
                services.arr_client(server, retries=1), request, profile=profile, folder=folder, server=server
            )
        except TRANSIENT as exc:
            if not last_attempt:
                raise
            return services.request_fail(request=request, reason=f"gave up: {exc}")
        except (ArrError, ValueError) as exc:
            return services.request_fail(request=request, reason=str(exc))
        request.arr_id, request.status = arr_id, Status.PROCESSING
        request.quality_profile_id, request.root_folder = profile, folder
        request.save(update_fields=["arr_id", "status", "quality_profile_id", "root_folder", "updated_at"])
    return request


def _add(arr: ArrClient, request: MediaRequest, *, profile: int, folder: str, server: ArrServer) -> int:
    common = {"title": request.title, "quality_profile_id": profile, "root_folder": folder, "tags": server.tags}
    try:
        if request.kind == MediaRequest.Kind.MOVIE:
            added = arr.movie_add(tmdb_id=request.tmdb_id, **common)
        else:
            added = arr.series_add(
                tvdb_id=request.tvdb_id,
                seasons=request.seasons or None,
                language_profile_id=server.language_profile_id,
                **common,
            )
    except ArrRejected as exc:
        if not any("already been added" in problem for problem in exc.problems):
            raise
        # Someone added it on the server (or an earlier run did): that is success; find its id there.
        term = f"tmdb:{request.tmdb_id}" if request.kind == MediaRequest.Kind.MOVIE else f"tvdb:{request.tvdb_id}"
        added = next((item for item in arr.lookup(term) or [] if isinstance(item, dict) and item.get("id")), None)
        if added is None:
            raise ArrError(f"{server.name} says it has the title already but its lookup does not show it") from exc
    arr_id = added.get("id") if isinstance(added, dict) else None
    if not isinstance(arr_id, int) or arr_id <= 0:
        raise ArrError(f"{server.name} added it but answered no id")
    return arr_id


def requests_for(*, server: ArrServer, arr_id: int | None, external_id: int | None) -> list[MediaRequest]:
    """Open requests an event of `server` is about: handed to it under `arr_id`, or for the same title and 4K flag."""
    kind = MediaRequest.Kind.MOVIE if server.kind == ArrServer.Kind.RADARR else MediaRequest.Kind.SHOW
    id_field = "tmdb_id" if kind == MediaRequest.Kind.MOVIE else "tvdb_id"
    match = Q(pk__in=[])
    if arr_id:
        match |= Q(server=server, arr_id=arr_id)
    if external_id:
        match |= Q(is_4k=server.is_4k, **{id_field: external_id})
    return list(
        MediaRequest.objects.filter(match, kind=kind, status__in=MediaRequest.OPEN).select_related("requested_by")
    )


def item_at(*, kind: str, paths: Iterable[str]) -> Movie | Show | None:
    """The catalogue item a file at one of `paths` (or under it) belongs to, once indexed."""
    for path in paths:
        path = os.path.normpath(path)
        files = MediaFile.objects.filter(Q(path=path) | Q(path__startswith=path + os.sep))
        found = files.select_related("movie", "episode__show").first()
        if found is not None:
            item = found.movie if kind == MediaRequest.Kind.MOVIE else getattr(found.episode, "show", None)
            if item is not None:
                return item
    return None


def _in_catalogue(request: MediaRequest) -> Movie | Show | None:
    """A title the requester can see with the same tmdb/tvdb id (and the requested seasons)."""
    if request.kind == MediaRequest.Kind.MOVIE:
        return movies_visible_to(user=request.requested_by).filter(tmdb_id=str(request.tmdb_id)).first()
    shows = shows_visible_to(user=request.requested_by).filter(tvdb_id=str(request.tvdb_id))
    for show in shows:
        have = set(show.seasons.filter(episodes__isnull=False).values_list("season_number", flat=True))
        if (set(request.seasons) <= have) if request.seasons else have:
            return show
    return None


def arr_has_it(*, request: MediaRequest) -> bool:
    """The server says the title has its files: Radarr `hasFile`, Sonarr statistics of the requested seasons."""
    arr = services.arr_client(request.server, retries=1)
    if request.kind == MediaRequest.Kind.MOVIE:
        return bool((arr.movie_get(request.arr_id) or {}).get("hasFile"))
    series = arr.series_get(request.arr_id) or {}
    wanted = set(request.seasons)
    seasons = [s for s in series.get("seasons") or [] if isinstance(s, dict) and s.get("seasonNumber") in wanted]
    if wanted:
        return len(seasons) == len(wanted) and all(_complete(s.get("statistics")) for s in seasons)
    return _complete(series.get("statistics"))


def _complete(statistics) -> bool:
    if not isinstance(statistics, dict):
        return False
    files, episodes = statistics.get("episodeFileCount"), statistics.get("episodeCount")
    return isinstance(files, int) and isinstance(episodes, int) and episodes > 0 and files >= episodes


def link_of(item: Movie | Show | None) -> dict:
    if item is None:
        return {}
    return {"movie": item} if isinstance(item, Movie) else {"show": item}


def requests_poll() -> dict[str, int]:
    """The safety net for missed webhooks and lost tasks: ask the servers, look in the catalogue."""
    counts = {"available": 0, "requeued": 0, "errors": 0}
    for request in selectors.requests_to_poll():
        item = _in_catalogue(request)
        try:
            if item is None and request.arr_id and request.server and request.server.enabled:
                if not arr_has_it(request=request):
                    continue
            elif item is None:
                if request.status == Status.APPROVED and request.approved_at < timezone.now() - LOST_HANDOFF:
                    # Its task was lost; the hand-off is idempotent.
                    dispatch.task_enqueue("requests.handoff", args=(request.pk,), on_commit=False)
                    counts["requeued"] += 1
                continue
        except ArrError as exc:
            logger.warning("could not poll request %s on %s: %s", request.pk, request.server, exc)
            counts["errors"] += 1
            continue
        counts["available"] += services.request_mark_available(request=request, **link_of(item))
    for request in MediaRequest.objects.filter(status=Status.PENDING).select_related("requested_by"):
        item = _in_catalogue(request)
        if item is not None:  # someone added it by hand: nothing left to approve
            counts["available"] += services.request_mark_available(request=request, **link_of(item))
    return counts
