from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        # The event listener that feeds the outbox, cache invalidation, the worker's startup event, checks.
        from apps.audit.registry import model_register
        from apps.core.metrics import register_state_collector
        from apps.notifications import checks, signals, subscribers  # noqa: F401
        from apps.notifications.metrics import DeliveryCollector
        from apps.notifications.models import NotificationAgent

        model_register(NotificationAgent, exclude_fields=["secret", "url"])  # both may carry credentials
        register_state_collector(DeliveryCollector())
