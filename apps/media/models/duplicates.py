"""Duplicate files of a library, grouped by kind, and the operator's decisions about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DuplicateKind(models.TextChoices):
    EXACT = "exact", "Exact copy"
    TITLE = "title", "Same title twice"
    PERCEPTUAL = "perceptual", "Same video, another encode"


class DuplicateGroup(models.Model):
    """Files of one library that hold the same thing; rebuilt from the hashes, kept while its members stay the same."""

    Kind = DuplicateKind

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept one"
        DISMISSED = "dismissed", "Not a duplicate"

    library = models.ForeignKey("libraries.Library", on_delete=models.CASCADE, related_name="duplicate_groups")
    kind = models.CharField(max_length=16, choices=DuplicateKind.choices)
    signature = models.CharField(max_length=40, help_text="SHA-1 of the kind and the sorted member ids.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    kept_file = models.ForeignKey("media.MediaFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    distance = models.FloatField(
        null=True, blank=True, help_text="Perceptual groups: mean Hamming distance of the least alike linked pair."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    files = models.ManyToManyField("media.MediaFile", through="DuplicateMember", related_name="duplicate_groups")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["library", "kind", "signature"], name="unique_duplicate_group")]
        indexes = [models.Index(fields=["library", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class DuplicateMember(models.Model):
    group = models.ForeignKey(DuplicateGroup, on_delete=models.CASCADE, related_name="members")
    file = models.ForeignKey("media.MediaFile", on_delete=models.CASCADE, related_name="duplicate_memberships")

    class Meta:
        ordering = ["group", "file__path"]
        constraints = [models.UniqueConstraint(fields=["group", "file"], name="unique_duplicate_member")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.file_id}"


class DuplicateDismissal(models.Model):
    """A remembered "not a duplicate": a later group of this kind whose files are all among these stays dismissed."""

    library = models.ForeignKey("libraries.Library", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=DuplicateKind.choices)
    files = models.ManyToManyField("media.MediaFile", related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} dismissed {self.created_at:%Y-%m-%d}"
