"""Files scans could not read, across scans: who sees them, and their reasons in a few kinds to filter by."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from apps.libraries.containment import LEAVES
from apps.libraries.models import ScanError
from apps.scanning.selectors import scans_visible_to

# Each kind by words of the walker's and indexer's reasons; anything else is a file the prober could not read.
REASON_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "unreadable": (
        "No access (permissions, unreachable)",
        ("cannot read", "cannot enter", "cannot list", "not reachable"),
    ),
    "links": ("Links out of the library", (LEAVES, "outside the library folders", "symbolic link loop")),
    "names": ("Bad file names", ("not valid UTF-8", "characters")),
    "gone": ("Vanished or not a file", ("disappeared", "not a regular file")),
}


def scan_errors_visible_to(*, user) -> QuerySet[ScanError]:
    """Errors of the scans the user sees (libraries they may scan), newest first."""
    return (
        ScanError.objects.filter(scan__in=scans_visible_to(user=user))
        .select_related("scan__library")
        .order_by("-created_at", "-id")
    )


def _matching(words: tuple[str, ...]) -> Q:
    return reduce(or_, (Q(reason__icontains=word) for word in words))


def scan_errors_of_kind(*, errors: QuerySet[ScanError], kind: str) -> QuerySet[ScanError]:
    """Errors whose reason is of `kind` (a key of REASON_KINDS, or "media": the rest, files that did not probe)."""
    if kind in REASON_KINDS:
        return errors.filter(_matching(REASON_KINDS[kind][1]))
    if kind == "media":
        return errors.exclude(reduce(or_, (_matching(words) for _, words in REASON_KINDS.values())))
    return errors
