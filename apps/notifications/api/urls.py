from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.notifications.api import notification_views

router = SimpleRouter()
# The in-app list sits at notifications/ itself: the other prefixes come first, and its ids are digits only.
router.register("notifications/agents", notification_views.AgentViewSet, basename="notification-agent")
router.register("notifications/channels", notification_views.ChannelViewSet, basename="notification-channel")
router.register("notifications/deliveries", notification_views.DeliveryViewSet, basename="notification-delivery")
router.register("notifications", notification_views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("notifications/events/", notification_views.EventCatalogueView.as_view(), name="notification-events"),
    path("notifications/preferences/", notification_views.PreferenceView.as_view(), name="notification-preferences"),
    *router.urls,
]
