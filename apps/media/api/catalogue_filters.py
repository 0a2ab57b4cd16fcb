"""Filters of the catalogue API."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter, SearchFilter

from apps.core.api.visible_filters import visible_choice
from apps.libraries.selectors import libraries_visible_to
from apps.media import search, selectors
from apps.media.models import Credit, Episode, MediaFile, MediaStream, MetadataStatus, Movie, Person, Show

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


class DecadeField(forms.IntegerField):
    """A decade named by its first year: 1990 for the years 1990 to 1999."""

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1870, max_value=2990, **kwargs)

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is not None and value % 10:
            raise forms.ValidationError("A decade is a year ending in 0, such as 1990.")


class DecadeFilter(filters.Filter):
    field_class = DecadeField

    def filter(self, queryset: QuerySet, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.field_name}__gte": value, f"{self.field_name}__lte": value + 9})


class TitleFilter(filters.FilterSet):
    """Filters of movies and shows alike: by person, genre, decade, certification and, for managers, metadata state."""

    person = visible_choice(
        selectors.people_visible_to, method="filter_person", help_text="Id of a person credited on the title."
    )
    genre = filters.CharFilter(method="filter_genre", help_text="Genre name (case-insensitive).")
    decade = DecadeFilter(field_name="year", help_text="First year of a decade: 1990 lists titles from 1990 to 1999.")
    certification = filters.CharFilter(
        field_name="certification", lookup_expr="iexact", help_text="Certification, e.g. PG-13 (case-insensitive)."
    )
    metadata_status = filters.ChoiceFilter(
        choices=MetadataStatus.choices,
        method="filter_metadata_status",
        help_text="Match state; lists titles of the libraries you manage only.",
    )

    def filter_person(self, queryset: QuerySet, name: str, value: Person) -> QuerySet:
        owner = "movie" if queryset.model is Movie else "show"
        return queryset.filter(Exists(Credit.objects.filter(person=value, **{owner: OuterRef("pk")})))

    def filter_genre(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # EXISTS, not a join: a join needs DISTINCT over every column of 100,000 titles to drop the repeats.
        through = queryset.model.genres.through
        owner = through._meta.get_field(queryset.model._meta.model_name).attname
        return queryset.filter(Exists(through.objects.filter(genre__name__iexact=value, **{owner: OuterRef("pk")})))

    def filter_metadata_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The match state is an operator's concern: a viewer's filter finds nothing rather than probing it.
        managed = selectors.libraries_managed_by(user=getattr(self.request, "user", None))
        return queryset.filter(metadata_status=value, library__in=managed)


class MovieFilter(TitleFilter):
    library = visible_choice(libraries_visible_to)
    collection = visible_choice(selectors.collections_visible_to, help_text="Id of a collection (a movie set).")
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

    def filter_resolution(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _with_video_stream(queryset, RESOLUTIONS[value], "movie")

    def filter_codec(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _with_video_stream(queryset, Q(codec__iexact=value), "movie")

    def filter_hdr(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _with_video_stream(queryset, Q(hdr=value), "movie")


class ShowFilter(TitleFilter):
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


class RankedSearchFilter(SearchFilter):
    """`?search=` through the catalogue search: typos and accents forgiven, best match first, visibility kept."""

    search_description = "Title or original title; typos and accents are forgiven. Best matches first."
    kinds = {Movie: "movie", Show: "show"}
    most = 1000  # ranked matches a list can page through; past this, a query matches too much to mean anything

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        query = request.query_params.get(self.search_param, "")
        if not query.strip():
            return queryset
        try:
            # The view's queryset is the visible one with its filters: only its rows are ranked.
            ids = search.ids_ranked(
                queryset.prefetch_related(None), kind=self.kinds[queryset.model], query=query, limit=self.most
            )
        except ValueError as exc:
            raise exceptions.ValidationError({self.search_param: [str(exc)]}) from exc
        if not ids:
            return queryset.none()
        return queryset.filter(pk__in=ids).annotate(search_rank=search.order_of(ids)).order_by("search_rank")


class RankedOrderingFilter(OrderingFilter):
    """`?ordering=` as usual; without it, a search keeps its best-first order instead of the view's default."""

    def get_ordering(self, request, queryset: QuerySet, view) -> list[str] | None:
        searching = request.query_params.get(SearchFilter.search_param, "").strip()
        if searching and not request.query_params.get(self.ordering_param):
            return None
        return super().get_ordering(request, queryset, view)


class AskedFilterBackend(filters.DjangoFilterBackend):
    """django-filter, skipped when the request names none of the filters: an empty form changes nothing, yet building
    and validating it cost a list page more than its query did."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        asked = filterset_class is None or any(name in request.query_params for name in filterset_class.base_filters)
        if not asked:
            return queryset
        return super().filter_queryset(request, queryset, view)


TITLE_FILTER_BACKENDS = [AskedFilterBackend, RankedSearchFilter, RankedOrderingFilter]
