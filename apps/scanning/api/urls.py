from rest_framework.routers import SimpleRouter

from apps.scanning.api.scan_views import LibraryScanStartViewSet, LibraryScanViewSet

router = SimpleRouter()
# Same prefix and basename as the libraries app's router: the URL and its name (library-scan) stay as they were.
router.register("libraries", LibraryScanStartViewSet, basename="library")
router.register("scans", LibraryScanViewSet, basename="scan")
urlpatterns = router.urls
