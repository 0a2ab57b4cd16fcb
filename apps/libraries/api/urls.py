from rest_framework.routers import SimpleRouter

from apps.libraries.api.views import LibraryScanViewSet, LibraryViewSet

router = SimpleRouter()
router.register("libraries", LibraryViewSet, basename="library")
router.register("scans", LibraryScanViewSet, basename="scan")
urlpatterns = router.urls
