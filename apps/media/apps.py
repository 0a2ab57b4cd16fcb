from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        from apps.media import subscribers  # noqa: F401 - cache invalidation on catalogue events
