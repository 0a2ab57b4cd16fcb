"""Tiered login lockout, as a django-axes handler: 5 failures lock 15 minutes, 10 an hour, 20 until unlocked.

Axes refuses a locked login before any password is checked (AxesStandaloneBackend) and turns the
request into the lockout response (AxesMiddleware); this handler keeps the counts in `LoginLockout`
rows, one per username, client IP or pair (REVENGE_LOCKOUT_BY), so every web process and pod shares them.
From REVENGE_LOCKOUT_TRUSTED_NETWORKS a username is counted per username+IP (see lockout_keys).
"""

from __future__ import annotations

import ipaddress
import logging
import math
from datetime import datetime, timedelta

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_client_username
from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.models import LoginLockout
from apps.accounts.services.users import _require_may_manage
from apps.core import events, metrics
from apps.core.client_ip import ip_or_none

logger = logging.getLogger("revenge.security")
failed_logins_total = metrics.counter("login_failures_total", "Failed logins, locked ones included.", ["locked"])
lockouts_total = metrics.counter("login_lockouts_total", "Lockouts by scope and tier.", ["scope", "tier"])

Scope = LoginLockout.Scope
USERNAME_SCOPES = (Scope.USERNAME, Scope.USERNAME_IP)


def from_trusted_network(ip: str | None) -> bool:
    """Whether `ip` is in REVENGE_LOCKOUT_TRUSTED_NETWORKS (where a username's own lock is kept apart)."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    return any(address in network for network in settings.LOCKOUT_TRUSTED_NETWORKS)


def lockout_keys(*, username: str | None, ip: str | None) -> list[tuple[str, str]]:
    """(scope, key) of every counter one attempt counts against, from AXES_LOCKOUT_PARAMETERS.

    From a trusted network a username is counted (and locked) per username+IP instead: failures from
    elsewhere cannot lock the real admin out of their own network, nor do theirs lock the name for others.
    """
    name = (username or "").strip().lower()[:150]
    trusted = from_trusted_network(ip)
    keys = []
    for parameter in settings.AXES_LOCKOUT_PARAMETERS:
        if parameter == "username" and name and trusted:
            keys.append((Scope.USERNAME_IP, f"{name}|{ip}"))
        elif parameter == "username" and name:
            keys.append((Scope.USERNAME, name))
        elif parameter == "ip_address" and ip:
            keys.append((Scope.IP, ip))
        elif isinstance(parameter, list | tuple) and name and ip:
            keys.append((Scope.USERNAME_IP, f"{name}|{ip}"))
    return sorted(set(keys))


def _matching(keys: list[tuple[str, str]]) -> Q:
    query = Q(pk__in=[])
    for scope, key in keys:
        query |= Q(scope=scope, key=key)
    return query


def lockout_tier(failures: int) -> tuple[int, timedelta | None] | None:
    """The tier that `failures` reaches exactly, as (tier number, duration or None for until unlocked)."""
    for number, (threshold, duration) in enumerate(settings.LOCKOUT_TIERS, start=1):
        if failures == threshold:
            return number, duration
    return None


def lockout_active(*, username: str | None, ip: str | None) -> LoginLockout | None:
    """The lock that refuses this username or address now (the longest one), or None."""
    now = timezone.now()
    keys = lockout_keys(username=username, ip=ip)
    if not keys:
        return None
    locked = [row for row in LoginLockout.objects.filter(_matching(keys)) if row.is_locked(now)]
    return max(locked, key=lambda row: (row.permanent, row.locked_until), default=None)


def _attempt(request: HttpRequest, credentials: dict | None) -> tuple[str | None, str | None]:
    username = get_client_username(request, credentials)
    return (username if isinstance(username, str) else None), ip_or_none(getattr(request, "axes_ip_address", None))


def _announce_failure(request: HttpRequest, username: str | None, ip: str | None, *, locked: bool) -> None:
    failed_logins_total.labels(locked=str(locked).lower()).inc()
    events.emit(
        "security.login_failed",
        username=(username or "")[:150],
        ip=ip,
        user_agent=getattr(request, "axes_user_agent", "")[:300],
        path=getattr(request, "axes_path_info", "")[:200],
        locked=locked,
    )


def failure_record(*, username: str | None, ip: str | None, now: datetime | None = None) -> list[LoginLockout]:
    """Count one failed login against each counter, under row locks; returns the counters it locked.

    A failure met while a counter is already locked is not counted, so that racing processes cannot
    push a counter past a tier: the tiers hold exactly however many web processes there are.
    """
    now = now or timezone.now()
    keys = lockout_keys(username=username, ip=ip)
    if not keys:
        return []
    forget_before = now - timedelta(hours=settings.LOCKOUT_FORGET_HOURS)
    with transaction.atomic():
        LoginLockout.objects.bulk_create(
            [LoginLockout(scope=s, key=k, first_failure_at=now, last_failure_at=now) for s, k in keys],
            ignore_conflicts=True,
        )
        rows = list(LoginLockout.objects.select_for_update().filter(_matching(keys)).order_by("scope", "key"))
        if any(row.is_locked(now) for row in rows):
            return [row for row in rows if row.is_locked(now)]
        newly_locked = []
        for row in rows:
            if row.failures and row.last_failure_at < forget_before and not row.permanent:
                row.failures, row.first_failure_at = 0, now  # quiet for long enough: start over
            row.failures += 1
            row.last_failure_at = now
            row.username = (username or "")[:150]
            row.ip = ip or row.ip
            reached = lockout_tier(row.failures)
            if reached is not None:
                number, duration = reached
                row.permanent = duration is None
                row.locked_until = None if duration is None else now + duration
                lockouts_total.labels(scope=row.scope, tier=str(number)).inc()
                newly_locked.append(row)
        LoginLockout.objects.bulk_update(
            rows, ["failures", "last_failure_at", "first_failure_at", "username", "ip", "locked_until", "permanent"]
        )
    for row in newly_locked:
        logger.warning(
            "login lockout of %s %s after %d failures (%s)",
            row.scope,
            row.key,
            row.failures,
            "until unlocked" if row.permanent else f"until {row.locked_until:%Y-%m-%d %H:%M:%S %Z}",
        )
        events.emit(
            "security.lockout",
            scope=row.scope,
            key=row.key,
            username=row.username,
            ip=ip,
            failures=row.failures,
            locked_until=row.locked_until,
            permanent=row.permanent,
        )
    return newly_locked


def success_record(*, username: str, ip: str | None) -> None:
    """A successful login clears the counters of that username, never the client IP's own count."""
    keys = [key for key in lockout_keys(username=username, ip=ip) if key[0] in USERNAME_SCOPES]
    if keys:
        LoginLockout.objects.filter(_matching(keys)).delete()


def lockout_clear(*, username: str | None = None, ip: str | None = None) -> int:
    """Delete the counters of a username (every scope that names it) or of an address; returns how many."""
    query = Q(pk__in=[])
    if username:
        name = username.strip().lower()
        query |= Q(scope=Scope.USERNAME, key=name) | Q(scope=Scope.USERNAME_IP, key__startswith=f"{name}|")
    if ip:
        query |= Q(scope=Scope.IP, key=ip) | Q(scope=Scope.USERNAME_IP, key__endswith=f"|{ip}")
    count, _ = LoginLockout.objects.filter(query).delete()
    return count


def lockouts_prune(*, now: datetime | None = None) -> int:
    """Forget counters that are not locked and have been quiet for REVENGE_LOCKOUT_FORGET_HOURS."""
    now = now or timezone.now()
    quiet = now - timedelta(hours=settings.LOCKOUT_FORGET_HOURS)
    stale = LoginLockout.objects.filter(permanent=False, last_failure_at__lt=quiet)
    count, _ = stale.filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now)).delete()
    return count


class TieredLockoutHandler(AbstractAxesHandler, AxesBaseHandler):
    """The axes handler (AXES_HANDLER): locks by the tiers in settings.LOCKOUT_TIERS."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username, ip = _attempt(request, credentials)
        keys = lockout_keys(username=username, ip=ip)
        if not keys:
            return 0
        return max(LoginLockout.objects.filter(_matching(keys)).values_list("failures", flat=True), default=0)

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        username, ip = _attempt(request, credentials)
        return lockout_active(username=username, ip=ip) is not None

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        if request is None:
            return  # authenticate() without a request (shell, tests): nobody to lock out
        username, ip = _attempt(request, credentials)
        request.axes_credentials = credentials
        if request.axes_locked_out:  # refused by the backend, no password was checked
            _announce_failure(request, username, ip, locked=True)
            return
        locked = failure_record(username=username, ip=ip, now=request.axes_attempt_time)
        _announce_failure(request, username, ip, locked=bool(locked))
        if locked:
            request.axes_locked_out = True
            user_locked_out.send("axes", request=request, username=username, ip_address=ip)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        if request is not None:
            success_record(username=user.get_username(), ip=getattr(request, "axes_ip_address", None))

    def user_logged_out(self, sender, request, user, **kwargs) -> None:
        return None

    def reset_attempts(self, *, ip_address: str | None = None, username: str | None = None, **kwargs) -> int:
        """`manage.py axes_reset_username NAME` / `axes_reset_ip IP`: the way back in without the admin."""
        count = lockout_clear(username=username, ip=ip_address)
        for scope, key in ((Scope.USERNAME, (username or "").lower()), (Scope.IP, ip_address)):
            if key:
                events.emit("security.unlocked", scope=scope, key=key, user_id=None, username=username, by_id=None)
        return count


def lockout_refusal(request: HttpRequest, credentials: dict | None = None) -> tuple[str, int, int | None]:
    """What a locked sign-in is told: (message, HTTP status, Retry-After seconds or None when locked for good)."""
    username, ip = _attempt(request, credentials)
    lock = lockout_active(username=username, ip=ip)
    if lock is None or lock.permanent:
        return "Too many failed logins: sign-in is locked until an administrator unlocks it.", 403, None
    retry_after = max(1, math.ceil((lock.locked_until - timezone.now()).total_seconds()))
    minutes = max(1, math.ceil(retry_after / 60))
    return f"Too many failed logins: try again in {minutes} minute{'s' if minutes != 1 else ''}.", 429, retry_after


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """429 with Retry-After (403 when locked until unlocked): JSON for the API, a page for the admin."""
    message, status, retry_after = lockout_refusal(request, credentials)
    if request.path.startswith("/api/"):
        username, ip = _attempt(request, credentials)
        lock = lockout_active(username=username, ip=ip)
        body = {"detail": message, "code": "locked_out", "locked_until": lock.locked_until if lock else None}
        response = JsonResponse(body, status=status)
    else:
        response = render(request, "accounts/lockout.html", {"message": message}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def user_unlock(*, user, by) -> int:
    """Lift every lockout of `user`'s username (an admin or moderator of at least their rank); returns rows cleared."""
    _require_may_manage(by, user, "unlock a user")
    count = lockout_clear(username=user.get_username())
    logger.info("lockout of %s lifted by %s (%d counters)", user.get_username(), by, count)
    events.emit(
        "security.unlocked",
        scope=Scope.USERNAME,
        key=user.get_username().lower(),
        user_id=user.pk,
        username=user.get_username(),
        by_id=getattr(by, "pk", None),
    )
    return count


def lockout_unlock(*, lockout: LoginLockout, by) -> None:
    """Lift one counter (a client IP's, say) from the admin."""
    lockout.delete()
    events.emit(
        "security.unlocked",
        scope=lockout.scope,
        key=lockout.key,
        user_id=None,
        username=lockout.username,
        by_id=getattr(by, "pk", None),
    )
