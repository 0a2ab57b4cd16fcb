from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        import apps.media.duplicates.subscribers  # noqa: F401 - duplicate refresh after scans
        from apps.media import subscribers  # noqa: F401 - cache invalidation on catalogue events
