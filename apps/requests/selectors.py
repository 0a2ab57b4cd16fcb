"""Reads of the requests app; the only place that decides who sees which servers and requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from apps.accounts.rules import outranks
from apps.accounts.selectors import effective_settings
from apps.media.selectors import movies_visible_to, shows_visible_to
from apps.metadata import tmdb
from apps.requests import titles
from apps.requests.arr import ArrError
from apps.requests.errors import NoServer, ServerUnavailable
from apps.requests.models import ArrServer, MediaRequest
from apps.requests.servers import arr_client, arr_server_unavailable

REQUEST_PERMISSION = "requests.add_mediarequest"
OPTIONS_SECONDS = 60  # quality profiles and root folders change rarely; a minute saves a call per page view
FAILURE_SECONDS = 10


def arr_servers_visible_to(*, user) -> QuerySet[ArrServer]:
    """Servers are for those who may view them (admins); nobody else sees any."""
    if user and user.is_authenticated and user.has_perm("requests.view_arrserver"):
        return ArrServer.objects.all()
    return ArrServer.objects.none()


def arr_server_default(*, kind: str, is_4k: bool = False) -> ArrServer | None:
    """The enabled default Radarr (movies) or Sonarr (shows) server for the 4K flag."""
    server_kind = ArrServer.Kind.RADARR if kind == MediaRequest.Kind.MOVIE else ArrServer.Kind.SONARR
    return ArrServer.objects.filter(kind=server_kind, is_4k=is_4k, is_default=True, enabled=True).first()


def may_request(*, user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(REQUEST_PERMISSION))


def may_manage_requests(*, user) -> bool:
    """Approvers: superusers and roles (or users) with may_approve_requests."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or effective_settings(user=user).may_approve_requests


def may_act_on(*, user, request: MediaRequest) -> bool:
    """An approver acts on requests of users ranked no higher than themselves (rank rules)."""
    return may_manage_requests(user=user) and outranks(actor=user, target=request.requested_by)


def requests_visible_to(*, user) -> QuerySet[MediaRequest]:
    """Approvers see every request (the queue); everyone else only those they made or joined."""
    if not (user and user.is_authenticated):
        return MediaRequest.objects.none()
    requests = MediaRequest.objects.select_related("requested_by__role", "approved_by", "server")
    if may_manage_requests(user=user):
        return requests
    mine = MediaRequest.objects.filter(Q(requested_by=user) | Q(subscribers=user)).values("pk")
    return requests.filter(pk__in=mine)


def requests_now_available_to(*, user) -> QuerySet[MediaRequest]:
    """The user's own (made or joined) requests that arrived in a library they see, newest arrival first."""
    if not (user and user.is_authenticated):
        return MediaRequest.objects.none()
    mine = MediaRequest.objects.filter(Q(requested_by=user) | Q(subscribers=user)).values("pk")
    arrived = Q(movie__in=movies_visible_to(user=user).values("pk")) | Q(
        show__in=shows_visible_to(user=user).values("pk")
    )
    return (
        MediaRequest.objects.filter(arrived, pk__in=mine, status=MediaRequest.Status.AVAILABLE)
        .select_related("movie", "show")
        .order_by(F("available_at").desc(nulls_last=True), "-pk")
    )


@dataclass(frozen=True)
class Quota:
    """A user's request quota for one kind: limit 0 is unlimited."""

    limit: int
    used: int
    days: int
    resets_at: datetime | None

    @property
    def remaining(self) -> int | None:
        return None if not self.limit else max(self.limit - self.used, 0)

    def as_dict(self) -> dict:
        return {
            "limit": self.limit,
            "used": self.used,
            "remaining": self.remaining,
            "days": self.days,
            "resets_at": self.resets_at.isoformat() if self.resets_at else None,
        }


def request_quota(*, user, kind: str) -> Quota:
    """Requests the user made of this kind in the last N days (declined ones do not count), against the role's limit."""
    limits = effective_settings(user=user)
    limit = limits.request_quota_movies if kind == MediaRequest.Kind.MOVIE else limits.request_quota_shows
    days = max(int(limits.request_quota_days or 1), 1)
    since = timezone.now() - timedelta(days=days)
    counted = (
        MediaRequest.objects.filter(requested_by=user, kind=kind, created_at__gte=since)
        .exclude(status=MediaRequest.Status.DECLINED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    times = list(counted)
    # The quota frees up when the oldest counted request leaves the window.
    resets_at = times[0] + timedelta(days=days) if limit and len(times) >= limit else None
    return Quota(limit=int(limit or 0), used=len(times), days=days, resets_at=resets_at)


def open_request_for(*, kind: str, external_id: int, is_4k: bool) -> MediaRequest | None:
    id_field = "tmdb_id" if kind == MediaRequest.Kind.MOVIE else "tvdb_id"
    return (
        MediaRequest.objects.filter(kind=kind, is_4k=is_4k, status__in=MediaRequest.OPEN, **{id_field: external_id})
        .order_by("pk")
        .first()
    )


def requests_to_poll() -> QuerySet[MediaRequest]:
    """Requests handed to a server and not there yet: the safety net looks at these."""
    return MediaRequest.objects.filter(
        status__in=[MediaRequest.Status.APPROVED, MediaRequest.Status.PROCESSING]
    ).select_related("server", "requested_by")


def _titles_found(*, kind: str, q: str) -> list[dict]:
    """TMDb when configured (and not failing a moment ago); else, or when it fails, the default server's lookup."""
    found = titles.tmdb_asked(lambda: titles.tmdb_titles(kind=kind, q=q))
    if found is not titles.UNASKED:
        return found
    server = arr_server_default(kind=kind)
    if server is None and tmdb.tmdb_enabled():
        raise ServerUnavailable(
            "TMDb cannot be asked right now; an admin can see why in the server log", code="tmdb_unavailable"
        )
    if server is None:
        raise NoServer(f"no enabled default {'Radarr' if kind == 'movie' else 'Sonarr'} server is configured")
    return titles.arr_titles(server=server, kind=kind, q=q)


def _in_library(*, user, kind: str, found: list[dict]) -> set[tuple[str, str]]:
    """("tmdb"|"tvdb", id) of the found titles in a library the user sees: films by tmdb id, shows by either."""
    tmdb_ids = [str(t["tmdb_id"]) for t in found if t["tmdb_id"]]
    if kind == MediaRequest.Kind.MOVIE:
        have = movies_visible_to(user=user).filter(tmdb_id__in=tmdb_ids).values_list("tmdb_id", flat=True)
        return {("tmdb", n) for n in have}
    tvdb_ids = [str(t["tvdb_id"]) for t in found if t["tvdb_id"]]
    shows = shows_visible_to(user=user).filter(Q(tvdb_id__in=tvdb_ids) | Q(tmdb_id__in=tmdb_ids))
    pairs = shows.values_list("tmdb_id", "tvdb_id")
    return {("tmdb", a) for a, _ in pairs if a} | {("tvdb", b) for _, b in pairs if b}


def title_search(*, user, kind: str, q: str) -> list[dict]:
    """Titles matching `q` (TMDb when configured, else the default server), marked: in a library the user sees,
    requested, or pending.

    Raises NoServer or ServerUnavailable (apps.requests.errors) when no source can be asked.
    """
    found = _titles_found(kind=kind, q=q)
    movie = kind == MediaRequest.Kind.MOVIE
    id_field = "tmdb_id" if movie else "tvdb_id"
    ids = [t[id_field] for t in found]
    # Only titles the user may see count as in the library: a hidden one stays requestable, as if absent.
    in_library = _in_library(user=user, kind=kind, found=found)
    open_requests = MediaRequest.objects.filter(
        kind=kind,
        is_4k=False,
        status__in=[*MediaRequest.OPEN, MediaRequest.Status.AVAILABLE],
        **{f"{id_field}__in": ids},
    ).order_by("-created_at")
    seen = set(requests_visible_to(user=user).filter(pk__in=open_requests.values("pk")).values_list("pk", flat=True))
    by_id: dict[int, MediaRequest] = {}
    for request in open_requests:
        by_id.setdefault(getattr(request, id_field), request)
    results = []
    for title in found:
        request = by_id.get(title[id_field])
        results.append(
            {
                "kind": kind,
                **title,
                "in_library": ("tmdb", str(title["tmdb_id"])) in in_library
                or ("tvdb", str(title["tvdb_id"])) in in_library,
                "request_status": request.status if request else None,
                # Whose request it is stays with those who may see it.
                "request_id": request.pk if request and request.pk in seen else None,
            }
        )
    return results


def arr_servers_for_approval(*, user, kind: str) -> QuerySet[ArrServer]:
    """Enabled servers an approver may send a request of `kind` to (movies to Radarr, shows to Sonarr)."""
    if not may_manage_requests(user=user):
        return ArrServer.objects.none()
    server_kind = ArrServer.Kind.RADARR if kind == MediaRequest.Kind.MOVIE else ArrServer.Kind.SONARR
    return ArrServer.objects.filter(kind=server_kind, enabled=True).order_by("-is_default", "is_4k", "name")


def pending_queue(*, user) -> QuerySet[MediaRequest]:
    """The approval queue: pending requests the user may see, oldest first, with how many joined each."""
    pending = requests_visible_to(user=user).filter(status=MediaRequest.Status.PENDING)
    return pending.annotate(subscriber_count=Count("subscribers")).order_by("created_at")


@dataclass(frozen=True)
class ServerOptions:
    """What a server offers to choose from when approving; `problem` says why it could not be asked."""

    quality_profiles: list[tuple[int, str]]
    root_folders: list[str]
    problem: str = ""


def arr_server_options_cached(*, server: ArrServer) -> ServerOptions:
    """Quality profiles and root folders as the server lists them, kept OPTIONS_SECONDS; a down server is told."""
    key = f"requests:arr-options:{server.pk}:{server.base_url}"
    found = cache.get(key)
    if found is not None:
        return found
    try:
        arr = arr_client(server, retries=0, timeout=5.0)
        profiles = [
            (p["id"], str(p.get("name") or p["id"])[:100])
            for p in arr.quality_profiles() or []
            if isinstance(p, dict) and isinstance(p.get("id"), int)
        ]
        folders = [
            f["path"][:500]
            for f in arr.root_folders() or []
            if isinstance(f, dict) and isinstance(f.get("path"), str) and f["path"]
        ]
    except (ArrError, ValueError, TypeError) as exc:
        problem = (
            str(arr_server_unavailable(server, exc))
            if isinstance(exc, ArrError)
            else f"{server.name} answered something unexpected"
        )
        # Kept a few seconds only: a page of 25 requests asks a down server once, and one back up is seen soon.
        options, seconds = ServerOptions([], [], problem=problem), FAILURE_SECONDS
    else:
        options, seconds = ServerOptions(profiles, folders), OPTIONS_SECONDS
    cache.set(key, options, seconds)
    return options
