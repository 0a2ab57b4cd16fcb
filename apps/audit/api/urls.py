from rest_framework.routers import SimpleRouter

from apps.audit.api.activity_views import ActivityViewSet

router = SimpleRouter()
router.register("activity", ActivityViewSet, basename="activity")
urlpatterns = router.urls
