"""Writes of the requests app: servers and their connection tests, and the request workflow."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.services import private_network_opt_in_record
from apps.core import dispatch, events
from apps.core.outbound import opt_in_refusal, outbound_url_problem
from apps.media.selectors import movies_visible_to
from apps.requests import selectors, titles
from apps.requests.arr import ArrError
from apps.requests.errors import NoServer, QuotaExceeded, RequestRefused, quota_message
from apps.requests.models import ArrServer, MediaRequest
from apps.requests.servers import arr_client

logger = logging.getLogger(__name__)
Status = MediaRequest.Status


def arr_server_test(*, server: ArrServer) -> tuple[bool, str]:
    """ "Test connection": asks the server for its status and remembers the answer."""
    try:
        status = arr_client(server, retries=0).system_status() or {}
        ok, said = True, f"connected to {status.get('appName', server.kind)} {status.get('version', '')}".strip()
    except ArrError as exc:
        ok, said = False, str(exc)
    except ValueError as exc:
        ok, said = False, str(exc)
    ArrServer.objects.filter(pk=server.pk).update(last_checked_at=timezone.now(), last_check=said[:500])
    return ok, said


def arr_server_options(*, server: ArrServer) -> dict:
    """Quality profiles and root folders to choose from, as the server lists them."""
    arr = arr_client(server)
    profiles = [{"id": p.get("id"), "name": p.get("name")} for p in arr.quality_profiles() or []]
    folders = [
        {"id": f.get("id"), "path": f.get("path"), "free_space": f.get("freeSpace")} for f in arr.root_folders() or []
    ]
    languages = [{"id": p.get("id"), "name": p.get("name")} for p in arr.language_profiles() if isinstance(p, dict)]
    return {"quality_profiles": profiles, "root_folders": folders, "language_profiles": languages}


def arr_server_check(*, server: ArrServer | None, by, base_url: str, allowed: bool) -> None:
    """Who may give the opt-in (PermissionDenied), and whether the address may be reached (ValidationError)."""
    refusal = opt_in_refusal(
        by=by,
        was_allowed=server.allow_private_network if server is not None else False,
        allowed=allowed,
        address_changed=server is not None and base_url != server.base_url,
    )
    if refusal:
        raise PermissionDenied(refusal)
    problem = outbound_url_problem(base_url, allow_private=allowed)
    if problem:
        raise ValidationError({"base_url": [problem]})


def arr_server_opt_in_record(*, server: ArrServer, by) -> None:
    private_network_opt_in_record(target=server, allowed=server.allow_private_network, by=by)


def arr_server_save(*, server: ArrServer, by, make_default: bool = False) -> ArrServer:
    """Store a Radarr/Sonarr server (the API and the console alike): an opt-in to private networks is recorded,
    and a new default replaces the previous one of its kind."""
    was_allowed = bool(ArrServer.objects.filter(pk=server.pk).values_list("allow_private_network", flat=True).first())
    if make_default:
        server.is_default = False  # set below, after the previous default let go
    with transaction.atomic():
        server.save()
        if server.allow_private_network != was_allowed:
            arr_server_opt_in_record(server=server, by=by)
        if make_default:
            arr_server_make_default(server=server)
    return server


def arr_server_delete(*, server: ArrServer, by=None) -> None:
    """Forget a server; requests sent to it keep their history."""
    server.delete()


@transaction.atomic
def arr_server_make_default(*, server: ArrServer) -> ArrServer:
    """The default of its kind (and 4K flag); the previous default stops being one."""
    ArrServer.objects.filter(kind=server.kind, is_4k=server.is_4k, is_default=True).exclude(pk=server.pk).update(
        is_default=False
    )
    server.is_default = True
    server.save(update_fields=["is_default"])
    return server


# --- the request workflow ------------------------------------------------------------------------------


def request_event(name: str, request: MediaRequest, **extra) -> None:
    """Emit a request.* event with the catalogue's payload keys."""
    events.emit(
        name,
        request_id=request.pk,
        title=str(request),
        media_kind=request.kind,
        requester_id=request.requested_by_id,
        subscriber_ids=sorted(request.subscribers.values_list("pk", flat=True)),
        **extra,
    )


def title_lookup(*, kind: str, external_id: int, is_4k: bool = False) -> dict:
    """The title (titles.py's shape) as TMDb, when configured, or else the default server knows it (tmdb:ID /
    tvdb:ID); ValidationError when it knows none. A request needs a server to go to: NoServer without one."""
    server = selectors.arr_server_default(kind=kind, is_4k=is_4k)
    if server is None:
        raise NoServer(f"no enabled default {'Radarr' if kind == 'movie' else 'Sonarr'} server is configured")
    prefix = "tmdb" if kind == MediaRequest.Kind.MOVIE else "tvdb"
    # The same source as the search the request was made from: its seasons are the ones that were offered.
    found = titles.tmdb_asked(lambda: titles.tmdb_title(kind=kind, external_id=external_id))
    if found is not titles.UNASKED:
        if found is None:
            raise ValidationError({f"{prefix}_id": f"no {kind} with {prefix} id {external_id} is known to TMDb"})
        return found
    found = titles.arr_title(server=server, kind=kind, external_id=external_id)
    if found is None:
        raise ValidationError({f"{prefix}_id": f"no {kind} with {prefix} id {external_id} is known to {server.name}"})
    return found


def request_create(
    *,
    user: User,
    kind: str,
    external_id: int,
    seasons: list[int] | None = None,
    is_4k: bool = False,
) -> tuple[MediaRequest, bool]:
    """Request a title, or join the open request for it; returns (request, created)."""
    if not selectors.may_request(user=user):
        raise PermissionDenied("your role may not request media")
    joined = _join(user=user, kind=kind, external_id=external_id, is_4k=is_4k)
    if joined is not None:
        return joined, False
    visible = movies_visible_to(user=user).filter(tmdb_id=str(external_id))
    if kind == MediaRequest.Kind.MOVIE and not is_4k and visible.exists():
        raise RequestRefused("this movie is already in a library you can see", code="already_available")
    item = title_lookup(kind=kind, external_id=external_id, is_4k=is_4k)
    wanted = sorted(set(seasons or []))
    if kind == MediaRequest.Kind.SHOW and wanted:
        unknown = [n for n in wanted if n not in item["seasons"]]
        if unknown:
            raise ValidationError({"seasons": f"{item['title']} has no season {', '.join(map(str, unknown))}"})
    auto = selectors.effective_settings(user=user).requests_auto_approved
    try:
        with transaction.atomic():
            # One quota check at a time per user: two quick requests cannot both take the last one.
            User.objects.select_for_update().filter(pk=user.pk).first()
            quota = selectors.request_quota(user=user, kind=kind)
            if quota.limit and quota.used >= quota.limit:
                raise QuotaExceeded(quota_message(limit=quota.limit, kind=kind, days=quota.days), quota=quota.as_dict())
            request = MediaRequest.objects.create(
                kind=kind,
                tmdb_id=external_id if kind == MediaRequest.Kind.MOVIE else item["tmdb_id"],
                tvdb_id=external_id if kind == MediaRequest.Kind.SHOW else None,
                title=item["title"] or str(external_id),
                year=item["year"] if item["year"] and 0 < item["year"] < 32767 else None,
                poster=item["poster"][:1000],
                seasons=wanted if kind == MediaRequest.Kind.SHOW else [],
                is_4k=is_4k,
                requested_by=user,
            )
    except IntegrityError:
        # Someone else's request for the same title committed first: join it.
        joined = _join(user=user, kind=kind, external_id=external_id, is_4k=is_4k)
        if joined is None:
            raise
        return joined, False
    with transaction.atomic():
        request_event("request.created", request)
        if auto:
            _approve(request, by=None, server=selectors.arr_server_default(kind=kind, is_4k=is_4k))
    return request, True


def _join(*, user: User, kind: str, external_id: int, is_4k: bool) -> MediaRequest | None:
    existing = selectors.open_request_for(kind=kind, external_id=external_id, is_4k=is_4k)
    if existing is not None and existing.requested_by_id != user.pk:
        existing.subscribers.add(user)
    return existing


def request_approve(
    *,
    request: MediaRequest,
    by: User,
    server: ArrServer | None = None,
    quality_profile_id: int | None = None,
    root_folder: str = "",
) -> MediaRequest:
    """Approve a pending (or failed) request and hand it to Radarr/Sonarr in a task."""
    _require_approver(by, request)
    with transaction.atomic():
        request = MediaRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in (Status.PENDING, Status.FAILED):
            raise RequestRefused(f"the request is {request.get_status_display().lower()}, not pending")
        other = selectors.open_request_for(kind=request.kind, external_id=request.external_id, is_4k=request.is_4k)
        if other is not None and other.pk != request.pk:
            # A failed request asked for again meanwhile: approve that one (one open request per title).
            raise RequestRefused(f"request {other.pk} for the same title is open; approve that one")
        if server is not None:
            expected = ArrServer.Kind.RADARR if request.kind == MediaRequest.Kind.MOVIE else ArrServer.Kind.SONARR
            if server.kind != expected or not server.enabled:
                raise ValidationError({"server": f"an enabled {expected.label} server is needed for a {request.kind}"})
        chosen = server or selectors.arr_server_default(kind=request.kind, is_4k=request.is_4k)
        if chosen is None:
            raise NoServer(f"no enabled default server for {request.kind}s{' in 4K' if request.is_4k else ''}")
        request.quality_profile_id = quality_profile_id or None
        request.root_folder = root_folder or ""
        _approve(request, by=by, server=chosen)
    return request


def _approve(request: MediaRequest, *, by: User | None, server: ArrServer | None) -> None:
    request.status, request.server = Status.APPROVED, server
    request.approved_by, request.approved_at, request.failure_reason, request.arr_id = by, timezone.now(), "", None
    request.save()
    request_event("request.approved", request, by_id=by.pk if by else None)
    dispatch.task_enqueue("requests.handoff", args=(request.pk,))


WITHDRAWABLE = (Status.PENDING, Status.DECLINED, Status.FAILED)


def request_decline(*, request: MediaRequest, by: User, reason: str = "") -> MediaRequest:
    """Decline a pending request, with a reason the requester is told."""
    _require_approver(by, request)
    with transaction.atomic():
        request = MediaRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.PENDING:
            raise RequestRefused(f"the request is {request.get_status_display().lower()}, not pending")
        request.status, request.decline_reason = Status.DECLINED, reason[:500]
        request.approved_by, request.approved_at = by, timezone.now()
        request.save()
        request_event("request.declined", request, by_id=by.pk, reason=request.decline_reason)
    return request


def request_withdraw(*, request: MediaRequest, by: User) -> MediaRequest | None:
    """The requester withdraws (or a subscriber leaves) a request not yet handed off; approvers remove any.

    When others joined it, it stays for them: the first to join becomes its requester. Returns the request
    that remains, or None when it was deleted.
    """
    with transaction.atomic():
        request = MediaRequest.objects.select_for_update().get(pk=request.pk)
        mine = request.requested_by_id == by.pk
        if not mine and request.subscribers.filter(pk=by.pk).exists():
            request.subscribers.remove(by)
            return request
        if not mine and not selectors.may_act_on(user=by, request=request):
            raise PermissionDenied("only the requester or an approver ranked at least as high may remove it")
        if mine and not selectors.may_act_on(user=by, request=request) and request.status not in WITHDRAWABLE:
            raise RequestRefused(f"the request is {request.get_status_display().lower()}: Radarr/Sonarr has it already")
        heir = request.subscribers.order_by("pk").first() if mine else None
        if heir is not None:
            request.subscribers.remove(heir)
            request.requested_by = heir
            request.save(update_fields=["requested_by", "updated_at"])
            return request
        request.delete()
        return None


def _require_approver(by: User, request: MediaRequest) -> None:
    if not selectors.may_manage_requests(user=by):
        raise PermissionDenied("you may not approve or decline requests")
    if not selectors.may_act_on(user=by, request=request):
        raise PermissionDenied("you may not act on requests of a user ranked above you")


def request_fail(*, request: MediaRequest, reason: str) -> MediaRequest:
    """The server refused or gave up: `failed` with its words, and the requester is told."""
    with transaction.atomic():
        updated = MediaRequest.objects.filter(pk=request.pk, status__in=MediaRequest.OPEN).update(
            status=Status.FAILED, failure_reason=reason[:1000], updated_at=timezone.now()
        )
        request.refresh_from_db()
        if updated:
            request_event("request.failed", request, reason=request.failure_reason)
    return request


def request_mark_available(*, request: MediaRequest, movie=None, show=None) -> bool:
    """What was requested is in a library: `available` once (False when it already was), linked to the item."""
    with transaction.atomic():
        changes = {"movie": movie} if movie is not None else {"show": show} if show is not None else {}
        # A failed hand-off can still arrive (added by hand in Radarr): it is available all the same.
        updated = MediaRequest.objects.filter(pk=request.pk, status__in=[*MediaRequest.OPEN, Status.FAILED]).update(
            status=Status.AVAILABLE, available_at=timezone.now(), updated_at=timezone.now(), **changes
        )
        request.refresh_from_db()
        if updated:
            request_event("request.available", request)
    return bool(updated)
