"""The operator's decisions on a duplicate group: keep one file, "not a duplicate", delete a file from disk."""

from __future__ import annotations

import logging
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import activity_record
from apps.core import events
from apps.libraries import rules
from apps.libraries.models import Library
from apps.media import services as media_services
from apps.media.duplicates.detection import signature
from apps.media.edits import by_pk
from apps.media.models import DuplicateDismissal, DuplicateGroup, MediaFile

logger = logging.getLogger(__name__)


def _member(group: DuplicateGroup, file_id: int, by=None) -> MediaFile:
    """A file of the group, of the group's library, that `by` may manage (checked per file, by real path)."""
    if not rules.may_manage_library_files(actor=by, library=group.library):
        raise PermissionDenied("duplicates are resolved by those who manage the library")
    file = (
        MediaFile.objects.filter(pk=file_id, library_id=group.library_id, duplicate_memberships__group=group)
        .select_related("library")
        .first()
    )
    if file is None:
        raise ValidationError({"file": f"file {file_id} is not a member of this group"})
    return file


def _require_may_manage_file(file: MediaFile, by) -> None:
    if not rules.file_in_library(path=file.path, library=file.library):
        raise ValidationError({"file": "the file is outside the library's folders; it is not deleted"})
    if not rules.may_manage_file(actor=by, file=file):
        raise PermissionDenied("the file is also in a library you do not manage; it is not deleted")


def _locked(group: DuplicateGroup) -> DuplicateGroup:
    """The group's row, locked for this transaction; a rebuild may have replaced it since it was shown."""
    row = DuplicateGroup.objects.select_for_update().filter(pk=group.pk).first()
    if row is None:
        raise ValidationError("This group has changed since it was loaded; reload it.")
    return row


@transaction.atomic
def duplicate_keep(*, group: DuplicateGroup, file_id: int, by=None) -> DuplicateGroup:
    """Record which file of the group to keep; the others stay on disk until deleted one by one."""
    group = _locked(group)
    file = _member(group, file_id, by)
    group.status, group.kept_file = DuplicateGroup.Status.KEPT, file
    group.decided_by, group.decided_at = by, timezone.now()
    group.save(update_fields=["status", "kept_file", "decided_by", "decided_at", "updated_at"])
    return group


@transaction.atomic
def duplicate_dismiss(*, group: DuplicateGroup, by=None) -> DuplicateGroup:
    """Not a duplicate: remembered, so the same files (or some of them) are not grouped as this kind again."""
    group = _locked(group)
    if not rules.may_manage_library_files(actor=by, library=group.library):
        raise PermissionDenied("duplicates are resolved by those who manage the library")
    dismissal = DuplicateDismissal.objects.create(library_id=group.library_id, kind=group.kind, dismissed_by=by)
    dismissal.files.set(group.members.values_list("file_id", flat=True))
    group.status, group.kept_file = DuplicateGroup.Status.DISMISSED, None
    group.decided_by, group.decided_at = by, timezone.now()
    group.save(update_fields=["status", "kept_file", "decided_by", "decided_at", "updated_at"])
    return group


def duplicate_file_delete(*, group: DuplicateGroup, file_id: int, confirm: bool, by=None) -> DuplicateGroup | None:
    """Delete one member from disk and from the catalogue, with an activity entry; needs `confirm=True`.

    Refused for the file chosen to keep, for paths outside the library's folders, and for the last member still
    on disk. Returns the group, or None when fewer than two members are left and the group is gone.
    """
    if confirm is not True:
        raise ValidationError({"confirm": 'Deleting a file from disk cannot be undone: send "confirm": true.'})
    file = _member(group, file_id, by)
    if group.kept_file_id == file.pk:
        raise ValidationError({"file": "this is the file chosen to keep"})
    _require_may_manage_file(file, by)
    others = MediaFile.objects.filter(duplicate_memberships__group=group).exclude(pk=file.pk)
    if not any(os.path.isfile(other.path) for other in others):
        raise ValidationError({"file": "no other file of the group is on disk any more; this one is kept"})
    try:
        os.remove(file.path)
    except FileNotFoundError:
        pass  # gone already: the catalogue catches up below
    except OSError as exc:
        raise ValidationError({"file": f"cannot delete the file: {exc.strerror or exc}"}) from exc
    logger.info("deleted duplicate %s (group %s)", file.path, group.pk)
    with transaction.atomic():
        Library.objects.select_for_update().filter(pk=group.library_id).first()  # no rebuild meanwhile
        activity_record(
            event="file_deleted",
            actor=by,
            target=file,
            message=f"Deleted from disk as a duplicate ({group.get_kind_display().lower()} group {group.pk})",
            data={"path": file.path, "size": file.size, "group": group.pk, "kind": group.kind},
        )
        media_services.files_remove(library=group.library, file_ids=[file.pk])
        name, library_id = os.path.basename(file.path), group.library_id
        events.emit("catalogue.deleted", kind="file", id=file.pk, library_id=library_id, title=name, by_id=by_pk(by))
        return _group_after_removal(group)


def _group_after_removal(group: DuplicateGroup) -> DuplicateGroup | None:
    """A group left with one member is no group; otherwise it is re-signed so the next rebuild knows it."""
    remaining = list(group.members.values_list("file_id", flat=True))
    if len(remaining) < 2:
        group.delete()
        return None
    group.signature = signature(group.kind, remaining)
    fields = ["signature", "updated_at"]
    if group.status == DuplicateGroup.Status.KEPT and not MediaFile.objects.filter(pk=group.kept_file_id).exists():
        group.status, group.kept_file = DuplicateGroup.Status.OPEN, None
        fields += ["status", "kept_file"]
    clash = DuplicateGroup.objects.filter(library_id=group.library_id, kind=group.kind, signature=group.signature)
    clash.exclude(pk=group.pk).delete()  # the same files already form a group: this one, with its decision, wins
    group.save(update_fields=fields)
    return group
