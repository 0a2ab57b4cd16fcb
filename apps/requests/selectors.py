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
from apps.requests.arr import ArrError
from apps.requests.errors import NoServer
from apps.requests.models import ArrServer, MediaRequest
from apps.requests.servers import arr_client, arr_server_unavailable, poster_of

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


def title_search(*, user, kind: str, q: str) -> list[dict]:
    """Titles matching `q` on the default server, marked: in a library the user sees, requested, or pending.

    Raises NoServer or ServerUnavailable (apps.requests.errors) when the server cannot be asked.
    """
    server = arr_server_default(kind=kind)
    if server is None:
        raise NoServer(f"no enabled default {'Radarr' if kind == 'movie' else 'Sonarr'} server is configured")
    try:
        found = arr_client(server, retries=1).lookup(q) or []
    except ArrError as exc:
        raise arr_server_unavailable(server, exc) from exc
    movie = kind == MediaRequest.Kind.MOVIE
    id_key = "tmdbId" if movie else "tvdbId"
    items = [i for i in found if isinstance(i, dict) and isinstance(i.get(id_key), int)][:50]
    ids = [i[id_key] for i in items]
    visible = movies_visible_to(user=user) if movie else shows_visible_to(user=user)
    id_field = "tmdb_id" if movie else "tvdb_id"
    in_library = set(visible.filter(**{f"{id_field}__in": [str(n) for n in ids]}).values_list(id_field, flat=True))
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
    for item in items:
        request = by_id.get(item[id_key])
        seasons = [s.get("seasonNumber") for s in item.get("seasons") or [] if isinstance(s, dict)]
        results.append(
            {
                "kind": kind,
                "tmdb_id": item.get("tmdbId") if isinstance(item.get("tmdbId"), int) else None,
                "tvdb_id": item.get("tvdbId") if isinstance(item.get("tvdbId"), int) else None,
                "title": str(item.get("title") or "")[:500],
                "year": item.get("year") if isinstance(item.get("year"), int) else None,
                "overview": str(item.get("overview") or "")[:2000],
                "poster": poster_of(item),
                "seasons": [n for n in seasons if isinstance(n, int)],
                "in_library": str(item[id_key]) in in_library,
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
