"""Libraries, their folders, and the record of every scan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel
from apps.libraries.containment import folder_problem


class Library(TimeStampedModel):
    """A named collection of folders holding one kind of media."""

    class Kind(models.TextChoices):
        MOVIES = "movies", "Movies"
        SHOWS = "shows", "TV shows"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    enabled = models.BooleanField(default=True)
    realtime_monitoring = models.BooleanField(default=True, help_text="Watch the folders for changes.")
    scan_interval_minutes = models.PositiveIntegerField(
        default=360, help_text="Periodic incremental scan; 0 turns it off."
    )
    last_scanned_at = models.DateTimeField(null=True, blank=True)
    # The last walk that stat'ed every file (not skipping unchanged folders); see scanning.services.
    files_verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    metadata_country = models.CharField(
        max_length=2,
        blank=True,
        help_text="Country whose certifications set age limits (ISO 3166-1, e.g. GB); empty: REVENGE_METADATA_COUNTRY.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "libraries"
        # view_library (Django's default) is granted per library; these too, through django-guardian.
        permissions = [
            ("download_library", "Can download files of the library"),
            ("manage_library", "Can manage the library and its grants"),
            ("scan_library", "Can scan the library"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def paths(self) -> list[str]:
        return [folder.path for folder in self.folders.all()]


class LibraryFolder(models.Model):
    """One root folder of a library (absolute path)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="folders")
    path = models.CharField(max_length=1024)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["library", "path"], name="unique_library_folder")]

    def __str__(self) -> str:
        return self.path

    def clean(self) -> None:
        # The admin's inline form saves folders itself: the data dir rule must hold there too.
        if self.path and (problem := folder_problem(self.path)):
            raise ValidationError({"path": problem})


class LibraryScan(models.Model):
    """One scan of a library; at most one is pending or running per library, which is the scan lock."""

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "incremental", "Incremental"
        WATCH = "watch", "Watcher batch"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.PENDING, Status.RUNNING)

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="scans")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INCREMENTAL)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    seen = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    to_index = models.PositiveIntegerField(default=0, help_text="Files that need indexing after the walk.")
    indexed = models.PositiveIntegerField(default=0, help_text="Of those, how many are done.")
    walked = models.BooleanField(default=False)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["library"], condition=Q(status__in=["pending", "running"]), name="one_active_scan_per_library"
            )
        ]

    def __str__(self) -> str:
        return f"{self.library} {self.kind} scan [{self.status}]"

    @property
    def progress(self) -> float:
        """0..1: nothing is known before the walk ends; then the share of files indexed."""
        if self.status == self.Status.COMPLETED:
            return 1.0
        if not self.walked:
            return 0.0
        return 1.0 if not self.to_index else round(min(self.indexed / self.to_index, 1.0), 4)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ScanError(models.Model):
    """A file a scan could not read, and why."""

    scan = models.ForeignKey(LibraryScan, on_delete=models.CASCADE, related_name="scan_errors")
    path = models.TextField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class WalkedFolder(models.Model):
    """A folder as the last scan's walk found it; an incremental scan does not list a plain one whose times are
    unchanged (scanning.walker.walk)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="walked_folders")
    path = models.CharField(max_length=2000)
    device = models.BigIntegerField()
    inode = models.BigIntegerField()
    mtime_ns = models.BigIntegerField()
    ctime_ns = models.BigIntegerField()
    files = models.PositiveIntegerField(help_text="Video files directly in the folder.")
    plain = models.BooleanField(help_text="No links, nothing skipped, every file indexed: may be skipped.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["library", "path"], name="unique_walked_folder")]

    def __str__(self) -> str:
        return self.path


class WatcherStatus(models.Model):
    """What a running `watch_libraries` process watches and has seen; written by it every few seconds."""

    name = models.CharField(max_length=255, unique=True, help_text="Host and process id of the watcher.")
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    libraries = models.JSONField(default=list, help_text="Each watched library: id, name, roots, watches, state.")
    watches = models.PositiveIntegerField(default=0)
    events_seen = models.BigIntegerField(default=0)
    last_event_at = models.DateTimeField(null=True, blank=True)
    last_event = models.CharField(max_length=500, blank=True)
    warnings = models.JSONField(default=list, help_text="The latest warnings: overflows, watch limits, lost roots.")

    class Meta:
        ordering = ["-heartbeat_at"]
        verbose_name = "watcher status"
        verbose_name_plural = "watcher status"

    def __str__(self) -> str:
        return self.name
