"""Operator edits of the catalogue (admin, API): saved, recorded in the activity log, announced.

The announcement (`catalogue.changed` / `catalogue.deleted`) makes cached lists and counts stale, as scans do.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import Q

from apps.audit.services import activity_record
from apps.core import caching, events
from apps.libraries.models import Library
from apps.media import services as media_services
from apps.media.models import Episode, Genre, MediaFile, Movie, Season, Show, Studio
from apps.media.ratings import certification_age

KINDS = {Movie: "movie", Show: "show", Season: "season", Episode: "episode", MediaFile: "file"}


def by_pk(by) -> int | None:
    return getattr(by, "pk", None)


def _library_id(item: models.Model) -> int | None:
    if isinstance(item, Season | Episode):
        return item.show.library_id
    return item.library_id


def _title(item: models.Model) -> str:
    # A file is named by its base name: the server path is for the activity log's data, not for announcements.
    return item.path.rsplit("/", 1)[-1] if isinstance(item, MediaFile) else str(item)


def age_follow_certification(item: models.Model) -> bool:
    """Set the age used by parental limits from the item's certification; whether it changed."""
    if not hasattr(item, "certification"):
        return False
    age = certification_age(item.certification) if item.certification else None
    if item.age_rating == age:
        return False
    item.age_rating = age
    return True


def fields_lock(item: models.Model, fields: list[str]) -> bool:
    """Lock the edited fields the metadata provider fills, so a refresh never overwrites them; whether any was new."""
    if not hasattr(item, "locked_fields"):
        return False
    provided = {f.name for f in item._meta.get_fields() if f.concrete or f.many_to_many} - UNLOCKABLE
    new = [name for name in fields if name in provided and name not in item.locked_fields]
    item.locked_fields = [*item.locked_fields, *new]
    return bool(new)


# Bookkeeping, not content: editing these never locks anything.
UNLOCKABLE = {
    *("id", "library", "match_key", "show", "season", "added_at", "updated_at", "nfo_fields", "locked_fields"),
    *("metadata_status", "metadata_error", "match_score", "metadata_refreshed_at", "metadata_retry_at", "age_rating"),
}


@transaction.atomic
def item_update(*, item: models.Model, by, fields: list[str], related: dict[str, list] | None = None) -> models.Model:
    """Save an item whose `fields` were changed by `by` (`related`: new members of its many-to-many fields); the
    parental age follows a changed certification, and the changed fields are locked against provider refreshes."""
    fields = list(fields)
    fields_lock(item, fields)
    if age_follow_certification(item):
        fields.append("age_rating")
    item.save()
    for name, members in (related or {}).items():
        getattr(item, name).set(members)
    kind = KINDS[type(item)]
    activity_record(
        event="catalogue_changed",
        actor=by,
        target=item,
        message=f"changed {', '.join(fields) or 'nothing'} of the {kind}",
        data={"kind": kind, "fields": fields},
    )
    events.emit(
        "catalogue.changed",
        kind=kind,
        id=item.pk,
        library_id=_library_id(item),
        title=_title(item),
        fields=fields,
        by_id=by_pk(by),
    )
    return item


@transaction.atomic
def item_delete(*, item: models.Model, by) -> None:
    """Remove an item and its file rows from the catalogue (not from disk: a full scan finds them again)."""
    kind, pk, library_id, title = KINDS[type(item)], item.pk, _library_id(item), _title(item)
    data = {"kind": kind}
    if isinstance(item, MediaFile):
        data["path"] = item.path
        media_services.files_remove(library=item.library, file_ids=[item.pk])
    else:
        owned = {
            Movie: Q(movie=item),
            Show: Q(episode__show=item),
            Season: Q(episode__season=item),
            Episode: Q(episode=item),
        }[type(item)]
        data["files"] = MediaFile.objects.filter(owned).delete()[1].get("media.MediaFile", 0)
        item.delete()
    activity_record(
        event="catalogue_deleted",
        actor=by,
        target_type=type(item),
        target_pk=pk,
        object_repr=title,
        message=f"deleted the {kind} from the catalogue",
        data=data,
    )
    events.emit("catalogue.deleted", kind=kind, id=pk, library_id=library_id, title=title, by_id=by_pk(by))


@transaction.atomic
def fields_unlock(*, item: models.Model, fields: list[str], by) -> list[str]:
    """Unlock fields so the next metadata refresh may fill them again; the ones that were locked.

    ValueError names a field that is not locked (nothing is changed then)."""
    locked = type(item).objects.select_for_update().get(pk=item.pk)
    unknown = [name for name in fields if name not in locked.locked_fields]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not locked")
    locked.locked_fields = [name for name in locked.locked_fields if name not in fields]
    locked.save(update_fields=["locked_fields", "updated_at"])
    item.locked_fields = locked.locked_fields
    kind = KINDS[type(item)]
    activity_record(
        event="catalogue_changed",
        actor=by,
        target=locked,
        message=f"unlocked {', '.join(fields)} of the {kind}",
        data={"kind": kind, "unlocked": list(fields)},
    )
    events.emit(
        "catalogue.changed",
        kind=kind,
        id=item.pk,
        library_id=_library_id(locked),
        title=_title(locked),
        fields=["locked_fields"],
        by_id=by_pk(by),
    )
    return list(fields)


def label_save(*, label: Genre | Studio, by) -> Genre | Studio:
    """Rename or add a genre or studio; every cached title that names one is stale, so all libraries' are."""
    label.full_clean()
    label.save()
    _labels_changed()
    return label


def label_delete(*, label: Genre | Studio, by) -> None:
    """Remove a genre or studio from every title that has it."""
    label.delete()
    _labels_changed()


def _labels_changed() -> None:
    for library_id in Library.objects.values_list("pk", flat=True):
        caching.bump_with_commit(caching.library(library_id))
