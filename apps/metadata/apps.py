from django.apps import AppConfig


class MetadataConfig(AppConfig):
    name = "apps.metadata"
    label = "metadata"
    verbose_name = "Metadata"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.metadata import subscribers  # noqa: F401 - matching after scans
        from apps.metadata.images import subscribers as image_subscribers  # noqa: F401 - artwork after scans
