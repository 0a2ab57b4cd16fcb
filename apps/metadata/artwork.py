"""TMDb artwork rows: one per owner and kind, its path TMDb's file_path; the images app fetches the bytes.

Local artwork (beside the media) is never touched here; a TMDb row whose path did not change is kept, so its
fetched bytes stay.
"""

from __future__ import annotations

from apps.media.models import Artwork


def artwork_sync(*, owner: str, wanted: dict[int, dict[str, str]], replace_missing: bool = True) -> None:
    """Make the TMDb artwork of these owners ("movie", "show", "season", "episode", "person") what `wanted` says:
    {owner id: {kind: file path}}. With replace_missing, a kind TMDb no longer lists goes too."""
    if not wanted:
        return
    field = f"{owner}_id"
    existing = Artwork.objects.filter(source=Artwork.Source.TMDB, **{f"{field}__in": list(wanted)})
    if not replace_missing:
        existing = existing.filter(kind__in={kind for kinds in wanted.values() for kind in kinds})
    kept: set[tuple[int, str]] = set()
    stale = []
    for row in existing.only("pk", "kind", "path", field):
        key = (getattr(row, field), row.kind)
        if wanted.get(key[0], {}).get(row.kind) == row.path and key not in kept:
            kept.add(key)
        elif replace_missing or row.kind in wanted.get(key[0], {}):
            stale.append(row.pk)
    if stale:
        Artwork.objects.filter(pk__in=stale).delete()
    Artwork.objects.bulk_create(
        [
            Artwork(kind=kind, source=Artwork.Source.TMDB, path=path, **{field: owner_id})
            for owner_id, kinds in wanted.items()
            for kind, path in sorted(kinds.items())
            if path and (owner_id, kind) not in kept
        ]
    )
