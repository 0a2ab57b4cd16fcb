"""Radarr/Sonarr webhooks ("Connect → Webhook"): who sent it (the server's secret), what it says, what it changes.

Bodies are hostile input: each is checked against the documented shape and refused with a reason (a
WebhookInvalid, answered 400), never trusted for more than ids and paths.
"""

from __future__ import annotations

import hmac
import logging
import os
from dataclasses import dataclass, field

from django.db import transaction

from apps.core import dispatch
from apps.requests import handoff, services
from apps.requests.arr import ArrError
from apps.requests.models import ArrServer, MediaRequest
from apps.scanning import services as scanning

logger = logging.getLogger(__name__)
EVENTS = {
    ArrServer.Kind.RADARR: {"Test", "Grab", "Download", "Rename", "MovieDelete", "MovieFileDelete", "Health"},
    ArrServer.Kind.SONARR: {"Test", "Grab", "Download", "Rename", "SeriesDelete", "EpisodeFileDelete", "Health"},
}
# Events Revenge has nothing to do for are accepted (200) so that the server does not retry or warn.
IGNORED = {"Test", "Health", "HealthRestored", "ApplicationUpdate", "ManualInteractionRequired", "MovieAdded"}
IGNORED |= {"SeriesAdd", "EpisodeFileDeleteForUpgrade"}
MAX_PATH, MAX_TITLE, MAX_FILES = 4096, 500, 1000


class WebhookInvalid(ValueError):
    """The body is not what the server documents; `str()` says what is wrong."""


@dataclass
class WebhookEvent:
    event_type: str
    arr_id: int | None = None
    external_id: int | None = None  # tmdbId (Radarr) or tvdbId (Sonarr)
    title: str = ""
    folder: str = ""
    paths: list[str] = field(default_factory=list)


def arr_server_for_token(*, kind: str, token: str) -> ArrServer | None:
    """The enabled server of `kind` whose webhook secret is `token` (compared in constant time)."""
    if not token or len(token) > 200:
        return None
    found = None
    for server in ArrServer.objects.filter(kind=kind, enabled=True):
        if hmac.compare_digest(server.webhook_secret.encode(), token.encode()):
            found = server
    return found


def _int(value, where: str, *, required: bool = False) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise WebhookInvalid(f"{where} must be a positive whole number")
    return value


def _str(value, where: str, limit: int, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value or len(value) > limit or "\x00" in value:
        raise WebhookInvalid(f"{where} must be a text of at most {limit} characters")
    return value


def _path(value, where: str) -> str:
    path = _str(value, where, MAX_PATH, required=True)
    if not (path.startswith("/") or (len(path) > 2 and path[1] == ":")):
        raise WebhookInvalid(f"{where} must be an absolute path")
    return path


def _object(body: dict, key: str, *, required: bool) -> dict:
    value = body.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise WebhookInvalid(f"'{key}' must be an object")
    return value


def webhook_parse(*, kind: str, body: object) -> WebhookEvent:
    """Check a webhook body of a Radarr or Sonarr server against the documented shape."""
    if not isinstance(body, dict):
        raise WebhookInvalid("the body must be a JSON object")
    event_type = _str(body.get("eventType"), "'eventType'", 50, required=True)
    if event_type in IGNORED:
        return WebhookEvent(event_type=event_type)
    if event_type not in EVENTS[kind]:
        raise WebhookInvalid(f"'eventType' {event_type!r} is not a {kind.capitalize()} webhook event")
    radarr = kind == ArrServer.Kind.RADARR
    item_key, id_key, file_key = ("movie", "tmdbId", "movieFile") if radarr else ("series", "tvdbId", "episodeFile")
    item = _object(body, item_key, required=True)
    event = WebhookEvent(
        event_type=event_type,
        arr_id=_int(item.get("id"), f"'{item_key}.id'", required=True),
        external_id=_int(item.get(id_key), f"'{item_key}.{id_key}'"),
        title=_str(item.get("title"), f"'{item_key}.title'", MAX_TITLE),
    )
    folder = item.get("folderPath") if radarr else item.get("path")
    if folder is not None:
        event.folder = _path(folder, f"'{item_key}.{'folderPath' if radarr else 'path'}'")
    files = [_object(body, file_key, required=False)]
    extra = body.get("episodeFiles") if not radarr else None  # Sonarr v4 sends every file of a season pack
    if extra is not None:
        if not isinstance(extra, list) or len(extra) > MAX_FILES or not all(isinstance(f, dict) for f in extra):
            raise WebhookInvalid("'episodeFiles' must be a list of objects")
        files += extra
    event.paths = [_path(f.get("path"), f"'{file_key}.path'") for f in files if f]
    if event_type in ("Download", "MovieFileDelete", "EpisodeFileDelete") and not event.paths:
        raise WebhookInvalid(f"a {event_type} event needs '{file_key}' with its 'path'")
    if event_type == "Rename" and event.folder:
        event.paths.append(event.folder)
    return event


def path_map(server: ArrServer, path: str) -> str:
    """The server's path as Revenge sees it: the longest matching `remote` prefix becomes its `local` one."""
    best = None
    for mapping in server.path_mappings or []:
        if not isinstance(mapping, dict):
            continue
        remote = str(mapping.get("remote", "")).rstrip("/\\")
        under = remote and (path == remote or path.startswith((remote + "/", remote + "\\")))
        if under and (best is None or len(remote) > len(best[0])):
            best = (remote, str(mapping.get("local", "")).rstrip("/"))
    if best is None:
        return os.path.normpath(path)
    rest = path[len(best[0]) :].replace("\\", "/")
    return os.path.normpath(best[1] + rest)


def webhook_handle(*, server: ArrServer, event: WebhookEvent) -> dict:
    """Act on a checked webhook: imports and renames are indexed (in a task), deletions fail open requests."""
    if event.event_type in IGNORED:
        if event.event_type == "Health":
            logger.info("%s reports a health issue", server)
        return {"event": event.event_type, "requests": []}
    requests = handoff.requests_for(server=server, arr_id=event.arr_id, external_id=event.external_id)
    if event.event_type == "Grab":
        with transaction.atomic():
            MediaRequest.objects.filter(
                pk__in=[r.pk for r in requests], status=MediaRequest.Status.APPROVED, arr_id__isnull=False
            ).update(status=MediaRequest.Status.PROCESSING)
    elif event.event_type in ("MovieDelete", "SeriesDelete"):
        for request in requests:
            services.request_fail(request=request, reason=f"{event.title or 'it'} was removed from {server.name}")
    elif event.paths:
        local = sorted({path_map(server, path) for path in event.paths})
        dispatch.task_enqueue(
            "requests.import", args=(server.pk, event.arr_id, event.external_id, local, event.event_type == "Download")
        )
    return {"event": event.event_type, "requests": [r.pk for r in requests]}


def import_apply(*, server: ArrServer, arr_id: int | None, external_id: int | None, paths: list[str], done: bool):
    """Index the imported paths, then (for a Download) mark the requests for the title `available`."""
    scanning.paths_index(paths=paths)
    if not done:
        return 0
    kind = MediaRequest.Kind.MOVIE if server.kind == ArrServer.Kind.RADARR else MediaRequest.Kind.SHOW
    item = handoff.item_at(kind=kind, paths=paths)
    marked = 0
    for request in handoff.requests_for(server=server, arr_id=arr_id, external_id=external_id):
        if kind == MediaRequest.Kind.SHOW and not _show_complete(request, server):
            continue  # one episode of a bigger request: the poll marks it once every season is there
        marked += services.request_mark_available(request=request, **handoff.link_of(item))
    return marked


def _show_complete(request: MediaRequest, server: ArrServer) -> bool:
    if request.server_id != server.pk or not request.arr_id:
        return False
    try:
        return handoff.arr_has_it(request=request)
    except ArrError as exc:
        logger.warning("could not ask %s about request %s: %s", server, request.pk, exc)
        return False
