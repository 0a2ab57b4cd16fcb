from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Registers system checks and the Celery signal handlers that record task runs.
        from apps.core import checks, task_signals  # noqa: F401
