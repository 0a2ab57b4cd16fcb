"""Finding duplicates: exact copies, the same title stored twice, and other encodes of the same video.

Hashes are computed lazily and cached on the file with the state they were computed for. Groups are rebuilt
from them; a group whose members stay the same keeps its row and the operator's decision.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from apps.libraries.models import Library
from apps.media.duplicates.perceptual import (
    PERCEPTUAL_THRESHOLD,
    PerceptualError,
    VideoHash,
    distance_within,
    video_hash,
)
from apps.media.models import DuplicateDismissal, DuplicateGroup, DuplicateKind, DuplicateMember, MediaFile

logger = logging.getLogger(__name__)

# Durations of two encodes of one video differ by container overhead and audio padding, not by minutes.
DURATION_TOLERANCE_SECONDS = 2.0
DURATION_TOLERANCE_SHARE = 0.02
# One refresh hashes for at most this long, then hands the rest to the next run.
REFRESH_BUDGET_SECONDS = 300.0
LOCK_SECONDS = 3 * 3600
HASH_BATCH = 200
STATE_FIELDS = ("path", "size", "mtime_ns", "device", "inode")
FILE_FIELDS = (
    "id", "path", "size", "mtime_ns", "device", "inode", "fingerprint", "duration", "movie_id", "episode_id",
    "part", "version", "extra_type", "full_hash", "full_hash_key", "perceptual_hash", "perceptual_hash_key",
)  # fmt: skip


@dataclass
class RefreshResult:
    full_hashed: int = 0
    perceptual_hashed: int = 0
    failed: int = 0
    pending: int = 0  # files left to hash when the time budget ran out
    busy: bool = False  # another refresh of the library was running
    groups: dict[str, int] = field(default_factory=dict)

    @property
    def hashed(self) -> int:
        return self.full_hashed + self.perceptual_hashed

    @property
    def complete(self) -> bool:
        return self.pending == 0 and not self.busy


def state_key_expression() -> Concat:
    """MediaFile.state_key computed by the database, to find the files whose hashes are stale in one query."""
    parts = []
    for name in ("size", "mtime_ns", "device", "inode"):
        parts += [Cast(name, CharField()), Value(":")]
    return Concat(*parts[:-1], output_field=CharField())


def _unchanged_on_disk(file: MediaFile) -> bool:
    """Whether the file on disk is still the one the last scan saw (a changed file waits for the next scan)."""
    try:
        info = os.stat(file.path)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns, info.st_dev, info.st_ino) == (
        file.size,
        file.mtime_ns,
        file.device,
        file.inode,
    )


def file_full_hash(path: str) -> str:
    """SHA-256 of the whole file, read in chunks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _full_hash_candidates(library: Library) -> QuerySet[MediaFile]:
    """Files sharing size and fingerprint with another file of the library and without a current full hash."""
    twin = MediaFile.objects.filter(
        library=library, size=OuterRef("size"), fingerprint=OuterRef("fingerprint")
    ).exclude(pk=OuterRef("pk"))
    files = MediaFile.objects.filter(Exists(twin), library=library, size__gt=0).exclude(fingerprint="")
    # Empty files are all alike and waste no space: never duplicates.
    return files.annotate(state=state_key_expression()).exclude(full_hash_key=F("state"))


def _perceptual_candidates(library: Library) -> QuerySet[MediaFile]:
    """Main video files (no extras) that probed fine and have no perceptual hash for their current state."""
    files = MediaFile.objects.filter(
        library=library, probe_status=MediaFile.ProbeStatus.OK, extra_type="", duration__gt=0
    ).annotate(state=state_key_expression())
    return files.exclude(perceptual_hash_key=F("state"))


def hashes_update(*, library: Library, budget_seconds: float | None = None) -> RefreshResult:
    """Compute the missing or stale full and perceptual hashes of the library, within the time budget.

    At least one file is hashed per call, so a run that leaves work `pending` has always made progress."""
    result = RefreshResult()
    deadline = time.monotonic() + budget_seconds if budget_seconds else None
    work = [
        (_store_full_hash, list(_full_hash_candidates(library).order_by("id").values_list("id", flat=True))),
        (_store_perceptual_hash, list(_perceptual_candidates(library).order_by("id").values_list("id", flat=True))),
    ]
    for store, ids in work:
        for start in range(0, len(ids), HASH_BATCH):
            for file in MediaFile.objects.filter(pk__in=ids[start : start + HASH_BATCH]).only(*STATE_FIELDS):
                if deadline is not None and time.monotonic() > deadline and (result.hashed or result.failed):
                    result.pending += 1
                elif _unchanged_on_disk(file):
                    store(file, result)
    return result


def _store_full_hash(file: MediaFile, result: RefreshResult) -> None:
    try:
        digest = file_full_hash(file.path)
    except OSError as exc:
        logger.warning("cannot hash %s: %s", file.path, exc)
        result.failed += 1
        return  # perhaps a passing I/O error: the next refresh tries again
    if not _unchanged_on_disk(file):
        return  # written to while being read: the hash describes no version of the file
    result.full_hashed += 1
    MediaFile.objects.filter(pk=file.pk).update(full_hash=digest, full_hash_key=file.state_key)


def _store_perceptual_hash(file: MediaFile, result: RefreshResult) -> None:
    try:
        encoded, error = video_hash(file.path).encode(), ""
        result.perceptual_hashed += 1
    except PerceptualError as exc:
        encoded, error = "", str(exc)[:200]
        result.failed += 1
    MediaFile.objects.filter(pk=file.pk).update(
        perceptual_hash=encoded, perceptual_hash_key=file.state_key, perceptual_error=error
    )


# --- grouping ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A group the hashes show: its kind, member ids, and for perceptual groups the distance."""

    kind: str
    members: frozenset[int]
    distance: float | None = None


def _state(row: dict) -> str:
    return f"{row['size']}:{row['mtime_ns']}:{row['device']}:{row['inode']}"


def exact_groups(rows: list[dict]) -> list[Found]:
    """Same size and same full hash; hard links of one file are one copy, not duplicates."""
    buckets: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row["full_hash"] and row["full_hash_key"] == _state(row) and row["size"] > 0:
            buckets[(row["size"], row["full_hash"])].append(row)
    found = []
    for bucket in buckets.values():
        copies = {(r["device"], r["inode"]) if r["inode"] else ("row", r["id"]) for r in bucket}
        if len(copies) > 1:
            found.append(Found(DuplicateKind.EXACT, frozenset(r["id"] for r in bucket)))
    return found


def title_groups(rows: list[dict]) -> list[Found]:
    """Main files of one movie or episode with the same version label and stack part: not a deliberate set."""
    buckets: dict[tuple, set[int]] = defaultdict(set)
    for row in rows:
        owner = ("movie", row["movie_id"]) if row["movie_id"] else ("episode", row["episode_id"])
        if row["extra_type"] or owner[1] is None:
            continue
        buckets[(*owner, row["version"].casefold(), row["part"])].add(row["id"])
    return [Found(DuplicateKind.TITLE, frozenset(ids)) for ids in buckets.values() if len(ids) > 1]


def durations_close(a: float, b: float) -> bool:
    return abs(a - b) <= max(DURATION_TOLERANCE_SECONDS, DURATION_TOLERANCE_SHARE * max(a, b))


def perceptual_groups(rows: list[dict], *, threshold: float = PERCEPTUAL_THRESHOLD) -> list[Found]:
    """Files that look alike: compared only with files of a similar duration, linked when the mean Hamming
    distance is at most `threshold`, grouped by union-find."""
    hashed = []
    for row in rows:
        value = VideoHash.decode(row["perceptual_hash"]) if row["perceptual_hash_key"] == _state(row) else None
        if value is not None and row["duration"]:
            hashed.append((row["duration"], row["id"], value))
    hashed.sort(key=lambda item: item[0])
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    links: list[tuple[int, int, float]] = []
    for i, (duration, file_id, value) in enumerate(hashed):
        for other_duration, other_id, other in hashed[i + 1 :]:
            if not durations_close(duration, other_duration):
                break  # sorted by duration: every later file is longer still
            distance = distance_within(value, other, threshold)
            if distance is not None:
                links.append((file_id, other_id, distance))
                parent[root(other_id)] = root(file_id)
    members: dict[int, set[int]] = defaultdict(set)
    worst: dict[int, float] = defaultdict(float)
    for a, b, distance in links:
        members[root(a)].update((a, b))
        worst[root(a)] = max(worst[root(a)], distance)
    return [Found(DuplicateKind.PERCEPTUAL, frozenset(ids), round(worst[r], 2)) for r, ids in members.items()]


def _without_weaker_repeats(found: list[Found]) -> list[Found]:
    """A title or perceptual group inside a group of a stronger kind says nothing new: exact > title > perceptual."""
    order = [DuplicateKind.EXACT, DuplicateKind.TITLE, DuplicateKind.PERCEPTUAL]
    kept: list[Found] = []
    for group in sorted(found, key=lambda g: order.index(g.kind)):
        if not any(group.kind != other.kind and group.members <= other.members for other in kept):
            kept.append(group)
    return kept


def signature(kind: str, members: Iterable[int]) -> str:
    text = f"{kind}:" + ",".join(str(i) for i in sorted(members))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def groups_rebuild(*, library: Library) -> dict[str, int]:
    """Replace the library's groups by what the hashes show now; unchanged groups keep their row and status."""
    with transaction.atomic():
        # One rebuild (or deletion from disk) per library at a time: a second waits here, then sees current rows.
        Library.objects.select_for_update().filter(pk=library.pk).first()
        rows = list(MediaFile.objects.filter(library=library).values(*FILE_FIELDS))
        found = _without_weaker_repeats([*exact_groups(rows), *title_groups(rows), *perceptual_groups(rows)])
        existing = {(g.kind, g.signature): g for g in DuplicateGroup.objects.filter(library=library)}
        wanted = {(g.kind, signature(g.kind, g.members)): g for g in found}
        stale = [g.pk for key, g in existing.items() if key not in wanted]
        DuplicateGroup.objects.filter(pk__in=stale).delete()
        for key, group in wanted.items():
            row = existing.get(key)
            if row is not None and row.distance != group.distance:
                DuplicateGroup.objects.filter(pk=row.pk).update(distance=group.distance)
        _create_groups(library, [(key, g) for key, g in wanted.items() if key not in existing])
        _dismissals_prune(library)
    counts: dict[str, int] = defaultdict(int)
    for group in found:
        counts[group.kind] += 1
    return dict(counts)


def _create_groups(library: Library, new: list[tuple[tuple[str, str], Found]]) -> None:
    dismissed = _dismissed_sets(library)
    rows = [
        DuplicateGroup(
            library=library,
            kind=found.kind,
            signature=sig,
            distance=found.distance,
            status=(
                DuplicateGroup.Status.DISMISSED
                if any(found.members <= files for files in dismissed[found.kind])
                else DuplicateGroup.Status.OPEN
            ),
        )
        for (_kind, sig), found in new
    ]
    DuplicateGroup.objects.bulk_create(rows)
    DuplicateMember.objects.bulk_create(
        [DuplicateMember(group=row, file_id=file_id) for row, (_key, found) in zip(rows, new, strict=True)
         for file_id in sorted(found.members)]
    )  # fmt: skip


def _dismissed_sets(library: Library) -> dict[str, list[frozenset[int]]]:
    through = DuplicateDismissal.files.through
    by_dismissal: dict[int, set[int]] = defaultdict(set)
    for dismissal_id, file_id in through.objects.filter(duplicatedismissal__library=library).values_list(
        "duplicatedismissal_id", "mediafile_id"
    ):
        by_dismissal[dismissal_id].add(file_id)
    kinds = dict(DuplicateDismissal.objects.filter(library=library).values_list("pk", "kind"))
    result: dict[str, list[frozenset[int]]] = defaultdict(list)
    for dismissal_id, files in by_dismissal.items():
        result[kinds[dismissal_id]].append(frozenset(files))
    return result


def _dismissals_prune(library: Library) -> None:
    """Forget dismissals left with fewer than two files: they can no longer cover any group."""
    DuplicateDismissal.objects.filter(library=library).annotate(n=Count("files")).filter(n__lt=2).delete()


def duplicates_refresh(*, library: Library, budget_seconds: float | None = REFRESH_BUDGET_SECONDS) -> RefreshResult:
    """Hash what changed (within the budget), then rebuild the groups; one refresh per library at a time."""
    lock = f"duplicates-refresh:{library.pk}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return RefreshResult(busy=True)
    try:
        result = hashes_update(library=library, budget_seconds=budget_seconds)
        result.groups = groups_rebuild(library=library)
    finally:
        cache.delete(lock)
    return result
