from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Imported here, not at the top: they need the app registry, which is ready only now.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from apps.core import checks, collectors, events, metrics, request_memo, task_signals  # noqa: F401 - registers system checks, task-run recording  # noqa: I001 - beside the imports above, for the same reason

        for collector in (collectors.QueueCollector(), collectors.DiskCollector(), collectors.ImageCacheCollector()):
            metrics.register_state_collector(collector)
        # A request's remembered answers end with its first write (request_memo): any row may change one.
        for name, signal in {"save": post_save, "delete": post_delete, "m2m": m2m_changed}.items():
            signal.connect(request_memo.forget, weak=False, dispatch_uid=f"revenge-request-memo-{name}")
        events.catalogue_load()  # every app's events, before a listener or the notifications admin reads them
