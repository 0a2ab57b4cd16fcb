from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """Walker, naming, NFO, sidecars, indexer, scans and the watcher; its tables stay in `libraries` for now."""

    name = "apps.scanning"
    label = "scanning"
    verbose_name = "Scanning"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.core.metrics import register_state_collector
        from apps.scanning.scan_metrics import ScanCollector
        from apps.scanning.watcher.metrics import WatcherCollector

        register_state_collector(WatcherCollector())
        register_state_collector(ScanCollector())
