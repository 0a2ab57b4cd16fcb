from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.media import subscribers  # noqa: F401 - cache invalidation on catalogue events
        from apps.media.duplicates import subscribers as duplicate_subscribers  # noqa: F401 - duplicate refresh after scans
