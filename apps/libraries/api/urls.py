from rest_framework.routers import SimpleRouter

from apps.libraries.api.library_views import LibraryViewSet

router = SimpleRouter()
router.register("libraries", LibraryViewSet, basename="library")
urlpatterns = router.urls
