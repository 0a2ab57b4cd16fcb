from rest_framework.routers import SimpleRouter

from apps.media.api.duplicates import DuplicateGroupViewSet
from apps.media.api.views import EpisodeViewSet, FileViewSet, MovieViewSet, ShowViewSet

router = SimpleRouter()
router.register("movies", MovieViewSet, basename="movie")
router.register("shows", ShowViewSet, basename="show")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("files", FileViewSet, basename="file")
router.register("duplicates", DuplicateGroupViewSet, basename="duplicate")
urlpatterns = router.urls
