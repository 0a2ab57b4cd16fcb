from rest_framework.routers import SimpleRouter

from apps.requests.api.views import ArrServerViewSet

router = SimpleRouter()
router.register("requests/servers", ArrServerViewSet, basename="arr-server")
urlpatterns = router.urls
