from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The event listener that feeds the outbox, cache invalidation, the worker's startup event, checks.
        from apps.notifications import checks, signals, subscribers  # noqa: F401
