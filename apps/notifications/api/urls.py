from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.notifications.api import views

router = SimpleRouter()
# The in-app list sits at notifications/ itself: the other prefixes come first, and its ids are digits only.
router.register("notifications/agents", views.AgentViewSet, basename="notification-agent")
router.register("notifications/channels", views.ChannelViewSet, basename="notification-channel")
router.register("notifications/deliveries", views.DeliveryViewSet, basename="notification-delivery")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("notifications/events/", views.EventCatalogueView.as_view(), name="notification-events"),
    path("notifications/preferences/", views.PreferenceView.as_view(), name="notification-preferences"),
    *router.urls,
]
