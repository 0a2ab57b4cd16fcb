"""People and credits from TMDb: one Person per TMDb id shared by every title, the title's credits replaced whole."""

from __future__ import annotations

from apps.media.models import Credit, Movie, Person, Show
from apps.media.services import fit
from apps.metadata.artwork import artwork_sync
from apps.metadata.values import CreditValue


def people_upsert(found: list[CreditValue]) -> dict[str, Person]:
    """The Person of each TMDb id in `found`, created when new and renamed when TMDb renamed them."""
    names = {c.person_tmdb_id: fit(Person, "name", c.name) for c in found}
    if not names:
        return {}
    people = {p.tmdb_id: p for p in Person.objects.filter(tmdb_id__in=list(names))}
    missing = [Person(tmdb_id=pid, name=name) for pid, name in names.items() if pid not in people]
    if missing:
        Person.objects.bulk_create(missing, ignore_conflicts=True)  # another worker may add the same person
        people = {p.tmdb_id: p for p in Person.objects.filter(tmdb_id__in=list(names))}
    renamed = [p for p in people.values() if p.name != names[p.tmdb_id]]
    for person in renamed:
        person.name = names[person.tmdb_id]
    if renamed:
        Person.objects.bulk_update(renamed, ["name"])
    profiles = {people[c.person_tmdb_id].pk: {"profile": c.profile_path} for c in found if c.profile_path}
    # Only people with a picture now: a title listing someone without one does not take another title's away.
    artwork_sync(owner="person", wanted=profiles, replace_missing=False)
    return people


def credits_write(*, item: Movie | Show, found: list[CreditValue]) -> None:
    """Replace the item's credits with TMDb's (cast in billing order, then directing and writing crew)."""
    people = people_upsert(found)
    owner = {"movie": item} if isinstance(item, Movie) else {"show": item}
    Credit.objects.filter(**owner).delete()
    Credit.objects.bulk_create(
        [
            Credit(
                person=people[c.person_tmdb_id],
                kind=c.kind,
                character=fit(Credit, "character", c.character),
                job=fit(Credit, "job", c.job),
                department=fit(Credit, "department", c.department),
                order=c.order,
                **owner,
            )
            for c in found
            if c.person_tmdb_id in people
        ]
    )
