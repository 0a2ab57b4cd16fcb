from django.db.models import Count, Prefetch, QuerySet

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseReadOnlyViewSet
from apps.media import selectors
from apps.media.api.catalogue_filters import TITLE_FILTER_BACKENDS, EpisodeFilter, FileFilter, MovieFilter, ShowFilter
from apps.media.api.catalogue_pagination import CatalogueCountPagination
from apps.media.api.catalogue_serializers import (
    EpisodeSerializer,
    FileSerializer,
    MovieDetailSerializer,
    MovieSerializer,
    ShowDetailSerializer,
    ShowSerializer,
)
from apps.media.api.detail_cache import CachedDetailMixin
from apps.media.api.detail_payloads import movie_detail, show_detail
from apps.media.api.list_cache import CachedListMixin
from apps.media.api.list_items import movie_items, movie_rows, show_items, show_rows
from apps.media.models import Artwork, Credit, MediaFile, Movie, Season, Show

# The selectors decide what each user sees; being signed in is all the rest asks.
CATALOGUE = ActionPermissions({"list": SIGNED_IN, "retrieve": SIGNED_IN, "metadata": SIGNED_IN})


def credits_with_people() -> Prefetch:
    """A title's cast and crew with each person's profile image: two queries, however long the credits."""
    profiles = Artwork.objects.filter(kind=Artwork.Kind.PROFILE)
    people = Credit.objects.select_related("person").prefetch_related(Prefetch("person__artwork", queryset=profiles))
    return Prefetch("credits", queryset=people)


def movies_with_details(*, movies: QuerySet[Movie]) -> QuerySet[Movie]:
    """What a movie's detail shows, loaded in a fixed number of queries: files, people, images, collection."""
    files = selectors.files_with_details(files=MediaFile.objects.order_by("part", "path"))
    return movies.select_related("library", "collection").prefetch_related(
        "genres", "studios", "artwork", credits_with_people(), Prefetch("files", queryset=files)
    )


def shows_with_details(*, shows: QuerySet[Show]) -> QuerySet[Show]:
    """What a show's detail shows, loaded in a fixed number of queries: seasons, people, images, counts."""
    seasons = Season.objects.annotate(episode_count=Count("episodes")).prefetch_related("artwork")
    return (
        shows.select_related("library")
        .annotate(season_count=Count("seasons", distinct=True), episode_count=Count("episodes", distinct=True))
        .prefetch_related("genres", "studios", "artwork", credits_with_people(), Prefetch("seasons", queryset=seasons))
    )


class MovieViewSet(CachedListMixin, CachedDetailMixin, BaseReadOnlyViewSet):
    """Movies of the libraries you may see; the detail lists files with their streams, extras and artwork."""

    detail_kind = "movie"
    selector = selectors.movies_visible_to
    action_permissions = CATALOGUE
    pagination_class = CatalogueCountPagination
    filterset_class = MovieFilter
    filter_backends = TITLE_FILTER_BACKENDS
    ordering_fields = ["sort_title", "year", "added_at"]
    ordering = ["sort_title", "year"]

    # The selector's movies as they are: a detail reads its parts in `detail_payload`, a page in `page_items`.

    def get_serializer_class(self):
        return MovieDetailSerializer if self.action == "retrieve" else MovieSerializer

    def detail_payload(self, pk: int, *, visibility: tuple) -> dict | None:
        context = self.get_serializer_context()
        return movie_detail(movies=self.get_queryset, pk=pk, context=context, visibility=visibility)

    def page_rows(self, queryset: QuerySet[Movie]) -> QuerySet:
        return movie_rows(queryset)

    def page_items(self, items: list[dict]) -> list[dict]:
        return movie_items(items)


class ShowViewSet(CachedListMixin, CachedDetailMixin, BaseReadOnlyViewSet):
    """Shows of the libraries you may see, with season and episode counts."""

    detail_kind = "show"
    selector = selectors.shows_visible_to
    action_permissions = CATALOGUE
    pagination_class = CatalogueCountPagination
    ordering_fields = ["sort_title", "year", "added_at"]
    ordering = ["sort_title", "year"]
    filterset_class = ShowFilter
    filter_backends = TITLE_FILTER_BACKENDS

    def get_queryset(self):
        counts = {"season_count": Count("seasons", distinct=True), "episode_count": Count("episodes", distinct=True)}
        # A detail reads its parts in `detail_payload`, a list page its genres and posters in `page_items`.
        return super().get_queryset().annotate(**counts)

    def get_serializer_class(self):
        return ShowDetailSerializer if self.action == "retrieve" else ShowSerializer

    def detail_payload(self, pk: int, *, visibility: tuple) -> dict | None:
        context = self.get_serializer_context()
        return show_detail(shows=self.get_queryset, pk=pk, context=context, visibility=visibility)

    def page_rows(self, queryset: QuerySet[Show]) -> QuerySet:
        return show_rows(queryset)

    def page_items(self, items: list[dict]) -> list[dict]:
        return show_items(items)


class EpisodeViewSet(BaseReadOnlyViewSet):
    """Episodes; filter with `?show=ID&season=N`."""

    selector = selectors.episodes_visible_to
    action_permissions = CATALOGUE
    pagination_class = CatalogueCountPagination
    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilter
    search_fields = ["title", "show__title"]
    ordering_fields = ["season__season_number", "episode_number", "air_date", "added_at"]
    ordering = ["show__sort_title", "season__season_number", "episode_number", "air_date"]

    def get_queryset(self):
        files = selectors.files_with_details(files=MediaFile.objects.order_by("path"))
        return super().get_queryset().prefetch_related("artwork", Prefetch("files", queryset=files))


class FileViewSet(BaseReadOnlyViewSet):
    """Media files with their streams and subtitles."""

    selector = selectors.files_visible_to
    action_permissions = CATALOGUE
    pagination_class = CatalogueCountPagination
    serializer_class = FileSerializer
    filterset_class = FileFilter

    def get_queryset(self):
        return selectors.files_with_details(files=super().get_queryset())
