from django.apps import AppConfig


class LibrariesConfig(AppConfig):
    name = "apps.libraries"
    label = "libraries"
    verbose_name = "Libraries"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.core import caching
        from apps.libraries import checks  # noqa: F401 - registers the containment checks
        from apps.libraries.models import Library

        def library_changed(sender, **kwargs) -> None:
            # Enabled, kind and existence decide visibility: cached answers are stale.
            caching.bump("catalogue")

        post_save.connect(library_changed, sender=Library, dispatch_uid="revenge-library-saved")
        post_delete.connect(library_changed, sender=Library, dispatch_uid="revenge-library-deleted")
