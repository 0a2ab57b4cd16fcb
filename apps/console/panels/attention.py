"""Needs attention: pending requests (approve/decline here), last scans' errors, failed deliveries and disabled
agents, unmatched titles, duplicate groups, lockouts: each only as far as the operator's selectors allow."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.accounts.selectors import lockouts_active, lockouts_visible_to
from apps.libraries.models import LibraryScan, ScanError
from apps.libraries.selectors import libraries_visible_to
from apps.media.models import DuplicateGroup
from apps.media.selectors import duplicate_groups_visible_to
from apps.metadata.selectors import items_unmatched
from apps.notifications.models import NotificationDelivery
from apps.notifications.selectors import agents_visible_to, deliveries_visible_to
from apps.requests.models import MediaRequest
from apps.requests.selectors import may_manage_requests, requests_visible_to

REQUESTS_SHOWN = 10
ERRORS_SHOWN = 3  # per library: the rest are a click away, in the scan's page
FAILED_SINCE = timedelta(days=7)
FINISHED = (LibraryScan.Status.COMPLETED, LibraryScan.Status.FAILED)
COUNTS_SECONDS = 10  # unmatched titles, duplicates, failed deliveries, locks: a few seconds late tells the same


def _last_scans_with_errors(user) -> list[dict]:
    """Per library the operator may scan: its last finished scan, when it had errors, with the first few."""
    scannable = libraries_visible_to(user=user, perm="libraries.scan_library")
    last = LibraryScan.objects.filter(library=OuterRef("library_id"), status__in=FINISHED).order_by("-created_at")
    scans = list(
        LibraryScan.objects.filter(library__in=scannable, status__in=FINISHED, errors__gt=0)
        .filter(pk=Subquery(last.values("pk")[:1]))
        .select_related("library")
        .order_by("library__name")
    )
    samples: dict[int, list[ScanError]] = {scan.pk: [] for scan in scans}
    if scans:
        # The first few of each scan in one query, however many errors one scan has.
        first = Window(RowNumber(), partition_by=F("scan_id"), order_by=F("id").asc())
        errors = ScanError.objects.filter(scan__in=scans).annotate(n=first).filter(n__lte=ERRORS_SHOWN)
        for error in errors.order_by("scan_id", "id"):
            samples[error.scan_id].append(error)
    return [{"scan": scan, "samples": samples[scan.pk]} for scan in scans]


def _counts(user, now) -> dict:
    """What only needs a look now and then: kept per user for COUNTS_SECONDS, so a refresh every 2 s skips them."""
    key = f"console:attention-counts:{user.pk}"
    counts = cache.get(key)
    if counts is None:
        unmatched = items_unmatched(user=user)
        deliveries = deliveries_visible_to(user=user).filter(
            status=NotificationDelivery.Status.FAILED, created_at__gte=now - FAILED_SINCE
        )
        counts = {
            "failed_deliveries": deliveries.count(),
            "disabled_agents": [
                {"pk": agent.pk, "name": agent.name, "disabled_reason": agent.disabled_reason}
                for agent in agents_visible_to(user=user).filter(enabled=False).order_by("name")[:10]
            ],
            "unmatched_movies": unmatched["movies"].count(),
            "unmatched_shows": unmatched["shows"].count(),
            "duplicates": duplicate_groups_visible_to(user=user).filter(status=DuplicateGroup.Status.OPEN).count(),
            "lockouts": lockouts_active(lockouts=lockouts_visible_to(user=user), now=now).count(),
        }
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def build(*, user) -> dict:
    now = timezone.now()
    approver = may_manage_requests(user=user)
    pending = requests_visible_to(user=user).filter(status=MediaRequest.Status.PENDING) if approver else None
    shown = list(pending.order_by("created_at")[:REQUESTS_SHOWN]) if pending is not None else []
    return {
        "approver": approver,
        "pending": shown,
        # Counted only when the list is full: fewer shown is all there is.
        "pending_count": pending.count() if len(shown) == REQUESTS_SHOWN else len(shown),
        "scan_errors": _last_scans_with_errors(user),
        **_counts(user, now),
    }
