"""Filters of the catalogue API."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters

from apps.core.api.visible_filters import visible_choice
from apps.libraries.selectors import libraries_visible_to
from apps.media import selectors
from apps.media.models import Episode, MediaFile, MediaStream, Movie, Show

# Heights that count as each resolution: a 1920x800 scope film is still 1080p.
RESOLUTIONS = {
    "2160p": Q(height__gte=1600) | Q(width__gte=3200),
    "1440p": Q(height__gte=1200, height__lt=1600, width__lt=3200),
    "1080p": (Q(height__gte=900) | Q(width__gte=1800)) & Q(height__lt=1200, width__lt=2400),
    "720p": (Q(height__gte=600) | Q(width__gte=1200)) & Q(height__lt=900, width__lt=1800),
    "576p": Q(height__gte=500, height__lt=600, width__lt=1200),
    "480p": Q(height__lt=500, width__lt=1200),
}


def _with_video_stream(queryset: QuerySet, condition: Q, owner: str) -> QuerySet:
    streams = MediaStream.objects.filter(condition, type=MediaStream.Type.VIDEO, **{f"file__{owner}": OuterRef("pk")})
    return queryset.filter(Exists(streams))


class MovieFilter(filters.FilterSet):
    library = visible_choice(libraries_visible_to)
    genre = filters.CharFilter(method="filter_genre", help_text="Genre name (case-insensitive).")
    resolution = filters.ChoiceFilter(
        choices=[(r, r) for r in RESOLUTIONS], method="filter_resolution", help_text="Resolution of a video stream."
    )
    codec = filters.CharFilter(method="filter_codec", help_text="Video codec, e.g. h264, hevc, av1.")
    hdr = filters.ChoiceFilter(choices=MediaStream.Hdr.choices, method="filter_hdr", help_text="Dynamic range.")
    year_min = filters.NumberFilter(field_name="year", lookup_expr="gte")
    year_max = filters.NumberFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = Movie
        fields = ["library", "year"]

    def filter_genre(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(genres__name__iexact=value).distinct()

    def filter_resolution(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _with_video_stream(queryset, RESOLUTIONS[value], "movie")

    def filter_codec(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _with_video_stream(queryset, Q(codec__iexact=value), "movie")

    def filter_hdr(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _with_video_stream(queryset, Q(hdr=value), "movie")


class ShowFilter(filters.FilterSet):
    library = visible_choice(libraries_visible_to)

    class Meta:
        model = Show
        fields = ["library", "year"]


class EpisodeFilter(filters.FilterSet):
    show = visible_choice(selectors.shows_visible_to)
    season = filters.NumberFilter(field_name="season__season_number", help_text="Season number.")

    class Meta:
        model = Episode
        fields = ["show", "season"]


class FileFilter(filters.FilterSet):
    library = visible_choice(libraries_visible_to)
    movie = visible_choice(selectors.movies_visible_to)
    episode = visible_choice(selectors.episodes_visible_to)

    class Meta:
        model = MediaFile
        fields = ["library", "movie", "episode", "container", "probe_status"]
