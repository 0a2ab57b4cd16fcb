from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.media.api.catalogue_views import EpisodeViewSet, FileViewSet, MovieViewSet, ShowViewSet
from apps.media.api.duplicate_views import DuplicateGroupViewSet
from apps.media.api.library_content_views import LibraryRecentView, LibraryStatsView
from apps.media.api.people_views import PersonViewSet
from apps.media.api.search_views import SearchView

router = SimpleRouter()
router.register("movies", MovieViewSet, basename="movie")
router.register("shows", ShowViewSet, basename="show")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("files", FileViewSet, basename="file")
router.register("people", PersonViewSet, basename="person")
router.register("duplicates", DuplicateGroupViewSet, basename="duplicate")
urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
    path("libraries/<int:pk>/recent/", LibraryRecentView.as_view(), name="library-recent"),
    path("libraries/<int:pk>/stats/", LibraryStatsView.as_view(), name="library-stats"),
    *router.urls,
]
