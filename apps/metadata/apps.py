from django.apps import AppConfig


class MetadataConfig(AppConfig):
    name = "apps.metadata"
    label = "metadata"
    verbose_name = "Metadata"

    def ready(self) -> None:
        from apps.metadata.images import subscribers  # noqa: F401 - registered once the app registry is ready
