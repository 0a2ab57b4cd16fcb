from rest_framework.routers import SimpleRouter

from apps.media.api.views import EpisodeViewSet, FileViewSet, MovieViewSet, ShowViewSet

router = SimpleRouter()
router.register("movies", MovieViewSet, basename="movie")
router.register("shows", ShowViewSet, basename="show")
router.register("episodes", EpisodeViewSet, basename="episode")
router.register("files", FileViewSet, basename="file")
urlpatterns = router.urls
