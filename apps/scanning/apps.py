from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """Walker, naming, NFO, sidecars, indexer, scans and the watcher; its tables stay in `libraries` for now."""

    name = "apps.scanning"
    label = "scanning"
    verbose_name = "Scanning"

    def ready(self) -> None:
        from apps.core.metrics import register_state_collector
        from apps.scanning.watcher.metrics import WatcherCollector

        register_state_collector(WatcherCollector())
