from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Imported here, not at the top: they need the app registry, which is ready only now.
        from apps.core import checks, collectors, events, metrics, task_signals  # noqa: F401 - registers system checks, task-run recording  # noqa: I001 - beside the imports above, for the same reason

        for collector in (collectors.QueueCollector(), collectors.DiskCollector(), collectors.ImageCacheCollector()):
            metrics.register_state_collector(collector)
        events.catalogue_load()  # every app's events, before a listener or the notifications admin reads them
