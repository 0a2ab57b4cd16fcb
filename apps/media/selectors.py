"""Reads of the catalogue; one selector per model decides what a user may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from apps.libraries.selectors import libraries_visible_to
from apps.media.models import Episode, MediaFile, MediaStream, Movie, Season, Show, Subtitle


def movies_visible_to(user) -> QuerySet[Movie]:
    """Movies of libraries the user sees that have a main feature file (extras alone do not make a movie)."""
    main_file = MediaFile.objects.filter(movie=OuterRef("pk"), extra_type="")
    return Movie.objects.filter(library__in=libraries_visible_to(user)).filter(Exists(main_file))


def shows_visible_to(user) -> QuerySet[Show]:
    return Show.objects.filter(library__in=libraries_visible_to(user))


def seasons_visible_to(user) -> QuerySet[Season]:
    return Season.objects.filter(show__library__in=libraries_visible_to(user))


def episodes_visible_to(user) -> QuerySet[Episode]:
    return Episode.objects.filter(show__library__in=libraries_visible_to(user)).select_related("season", "show")


def files_visible_to(user) -> QuerySet[MediaFile]:
    return MediaFile.objects.filter(library__in=libraries_visible_to(user))


def files_with_details(files: QuerySet[MediaFile]) -> QuerySet[MediaFile]:
    """Files with their streams and subtitles loaded in two more queries, whatever their number."""
    return files.prefetch_related(
        Prefetch("streams", queryset=MediaStream.objects.order_by("index")),
        Prefetch("subtitles", queryset=Subtitle.objects.order_by("language", "path")),
    )
