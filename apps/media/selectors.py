"""Reads of the catalogue; one selector per model decides what a user may see.

Visibility = the library grants (libraries_visible_to) + the user's parental and content limits
(effective settings). Every list, detail, search, count and stream goes through these.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from apps.accounts.selectors import effective_settings
from apps.core import caching
from apps.core.prepared_queries import PreparedValues
from apps.libraries.models import Library
from apps.libraries.selectors import libraries_visible_to, library_ids_visible_to
from apps.media.models import (
    Artwork,
    Collection,
    Credit,
    DuplicateGroup,
    DuplicateMember,
    Episode,
    Genre,
    MediaFile,
    MediaStream,
    Movie,
    Person,
    Season,
    Show,
    Subtitle,
)


def _age_limit(user, *, prefix: str = "") -> Q:
    """The user's parental limit as a condition on a Movie or Show (through `prefix`)."""
    limits = effective_settings(user=user)
    age = f"{prefix}age_rating"
    if limits.max_parental_age is not None:
        allowed_age = Q(**{f"{age}__lte": limits.max_parental_age})
        return allowed_age if limits.block_unrated else allowed_age | Q(**{f"{age}__isnull": True})
    if limits.block_unrated:
        return Q(**{f"{age}__isnull": False})
    return Q()


def _genre_limit(user, *, prefix: str = "") -> Q:
    limits = effective_settings(user=user)
    condition = Q()
    if limits.allowed_genres:
        condition &= Q(**{f"{prefix}genres__in": Genre.objects.filter(name__in=limits.allowed_genres)})
    if limits.blocked_genres:
        condition &= ~Q(**{f"{prefix}genres__in": Genre.objects.filter(name__in=limits.blocked_genres)})
    return condition


def content_limits(*, user, prefix: str = "") -> Q:
    """The parental and genre limits of `user` as one condition on a Movie or Show (through `prefix`)."""
    return _age_limit(user, prefix=prefix) & _genre_limit(user, prefix=prefix)


def _limited(queryset: QuerySet, user) -> QuerySet:
    queryset = queryset.filter(_age_limit(user))
    genres = _genre_limit(user)
    if not genres:
        return queryset
    # Genre conditions join a many-to-many table: filter by id to keep one row per item.
    return queryset.filter(pk__in=queryset.model.objects.filter(genres).values("pk"))


def visibility_class(*, user) -> tuple:
    """Everything that decides what the catalogue shows `user`: users with equal classes see the same payloads.

    The visible and managed libraries, the parental and genre limits, and whether they change libraries (which
    shows every path). Cached per user until access or the user changes (role settings bump access).
    """
    if not user or not user.is_authenticated or not user.is_active:
        return ("anonymous",)
    return caching.cached(
        "visibility-class",
        user.pk,
        lambda: _visibility_class(user),
        ttl=600,
        scopes=[caching.ACCESS, caching.user(user.pk)],
        local=True,  # asked by every catalogue request: the versions' round trip is the only one
    )


def _visibility_class(user) -> tuple:
    limits = effective_settings(user=user)
    return (
        tuple(library_ids_visible_to(user=user)),
        tuple(library_ids_visible_to(user=user, perm="libraries.manage_library")),
        user.has_perm("libraries.change_library"),
        limits.max_parental_age,
        limits.block_unrated,
        tuple(sorted(limits.allowed_genres)),
        tuple(sorted(limits.blocked_genres)),
    )


def catalogue_scopes(*, user, shared: bool = False) -> list[str]:
    """The cache scopes of what `user` may see: access, the user, and each visible library's contents.

    `shared`: without the user's own scope, for entries shared by a visibility class (its key holds the rest).
    """
    if not user or not user.is_authenticated:
        return [caching.ACCESS]
    libraries = [caching.library(pk) for pk in library_ids_visible_to(user=user)]
    own = [] if shared else [caching.user(user.pk)]
    return [caching.ACCESS, *own, *libraries]


def item_library_id(*, kind: str, pk: int) -> int | None:
    """The library of a movie or show (None when there is none): one primary-key read, which callers may keep, as
    items never move between libraries."""
    rows = _LIBRARY_OF[kind].rows(pk)
    return rows[0]["library_id"] if rows else None


# Asked on every detail not yet known to the process: compiled once (apps/core/prepared_queries.py).
_LIBRARY_OF = {
    kind: PreparedValues(lambda pk, model=model: model.objects.filter(pk=pk).order_by(), ["library_id"])
    for kind, model in (("movie", Movie), ("show", Show))
}


def movies_visible_to(*, user) -> QuerySet[Movie]:
    """Movies of visible libraries within the user's limits that have a main feature file."""
    return _limited(Movie.objects.filter(library__in=libraries_visible_to(user=user), has_main_file=True), user)


def shows_visible_to(*, user) -> QuerySet[Show]:
    return _limited(Show.objects.filter(library__in=libraries_visible_to(user=user)), user)


def seasons_visible_to(*, user) -> QuerySet[Season]:
    return Season.objects.filter(show__in=shows_visible_to(user=user))


def episodes_visible_to(*, user) -> QuerySet[Episode]:
    return Episode.objects.filter(show__in=shows_visible_to(user=user)).select_related("season", "show")


def credits_visible_to(*, user) -> QuerySet[Credit]:
    """Credits on movies and shows the user sees."""
    return Credit.objects.filter(
        Q(movie__in=movies_visible_to(user=user).values("pk")) | Q(show__in=shows_visible_to(user=user).values("pk"))
    )


def people_visible_to(*, user) -> QuerySet[Person]:
    """People credited on at least one title the user sees; the rest stay unknown to them."""
    return Person.objects.filter(Exists(credits_visible_to(user=user).filter(person=OuterRef("pk"))))


def collections_visible_to(*, user) -> QuerySet[Collection]:
    """Collections with at least one movie the user sees."""
    return Collection.objects.filter(Exists(movies_visible_to(user=user).filter(collection=OuterRef("pk"))))


def person_credits_of(*, credits: QuerySet[Credit]) -> QuerySet[Credit]:
    """Credits with their title and its poster loaded in a few queries, whatever their number."""
    posters = Artwork.objects.filter(kind=Artwork.Kind.POSTER)
    return credits.select_related("movie", "show").prefetch_related(
        Prefetch("movie__artwork", queryset=posters), Prefetch("show__artwork", queryset=posters)
    )


def files_visible_to(*, user) -> QuerySet[MediaFile]:
    """Files of visible items; a file of a restricted movie or episode is as invisible as the item."""
    files = MediaFile.objects.filter(library__in=libraries_visible_to(user=user))
    if not content_limits(user=user):
        return files
    return files.filter(
        Q(movie__in=Movie.objects.filter(content_limits(user=user)).values("pk"))
        | Q(episode__show__in=Show.objects.filter(content_limits(user=user)).values("pk"))
    )


def files_streamable_to(*, user) -> QuerySet[MediaFile]:
    """Files whose bytes (direct or HLS) the user may receive: visible ones, except unreadable orphans.

    A file whose probe failed and that belongs to no movie or episode is nothing anyone can play; serving
    it would only hand out whatever bytes sit at that path.
    """
    unplayable = Q(probe_status=MediaFile.ProbeStatus.FAILED, movie__isnull=True, episode__isnull=True)
    return files_visible_to(user=user).exclude(unplayable)


def files_downloadable_to(*, user) -> QuerySet[MediaFile]:
    """Streamable files the user may also download: the role's may_download and the library's download grant."""
    if not user or not user.is_authenticated or not effective_settings(user=user).may_download:
        return MediaFile.objects.none()
    granted = libraries_visible_to(user=user, perm="libraries.download_library")
    return files_streamable_to(user=user).filter(library__in=granted)


def files_with_details(*, files: QuerySet[MediaFile]) -> QuerySet[MediaFile]:
    """Files with their streams and subtitles loaded in two more queries, whatever their number."""
    return files.prefetch_related(
        Prefetch("streams", queryset=MediaStream.objects.order_by("index")),
        Prefetch("subtitles", queryset=Subtitle.objects.order_by("language", "path")),
    )


def libraries_managed_by(*, user) -> QuerySet[Library]:
    """Libraries the user may manage: all with the global change permission, else those with a manage grant."""
    if user and user.is_authenticated and user.is_active and user.has_perm("libraries.change_library"):
        return Library.objects.all()
    return libraries_visible_to(user=user, perm="libraries.manage_library")


def duplicate_groups_visible_to(*, user) -> QuerySet[DuplicateGroup]:
    """Duplicate groups of the libraries the user manages that still have two members or more."""
    return (
        DuplicateGroup.objects.filter(library__in=libraries_managed_by(user=user))
        .annotate(member_count=Count("members"))
        .filter(member_count__gte=2)
    )


def duplicate_groups_with_members(*, groups: QuerySet[DuplicateGroup]) -> QuerySet[DuplicateGroup]:
    """Groups with their members' files and video streams loaded in a few queries, whatever their number."""
    videos = MediaStream.objects.filter(type=MediaStream.Type.VIDEO).order_by("index")
    members = DuplicateMember.objects.select_related("file").order_by("file__path")
    return groups.select_related("library").prefetch_related(
        Prefetch("members", queryset=members), Prefetch("members__file__streams", queryset=videos)
    )
