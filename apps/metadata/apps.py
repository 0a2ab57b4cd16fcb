from django.apps import AppConfig


class MetadataConfig(AppConfig):
    name = "apps.metadata"
    label = "metadata"
    verbose_name = "Metadata"
