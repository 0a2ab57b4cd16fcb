from django.apps import AppConfig
from django.db.backends.signals import connection_created


class MediaConfig(AppConfig):
    name = "apps.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        from apps.media.search.sqlite import fold_register  # its package imports models: only once they exist

        # SQLite's search index is kept by triggers that call revenge_fold: every connection must know it.
        connection_created.connect(fold_register, dispatch_uid="media_search_fold")
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.media import subscribers  # noqa: F401 - cache invalidation on catalogue events
        from apps.media.duplicates import subscribers as duplicate_subscribers  # noqa: F401 - duplicate refresh after scans
