from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.requests.api.request_views import MediaRequestViewSet
from apps.requests.api.server_views import ArrServerViewSet
from apps.requests.api.webhook_views import RadarrWebhook, SonarrWebhook

router = SimpleRouter()
router.register("requests/servers", ArrServerViewSet, basename="arr-server")
router.register("requests", MediaRequestViewSet, basename="media-request")
urlpatterns = [
    path("webhooks/radarr/", RadarrWebhook.as_view(), name="webhook-radarr"),
    path("webhooks/sonarr/", SonarrWebhook.as_view(), name="webhook-sonarr"),
    *router.urls,
]
