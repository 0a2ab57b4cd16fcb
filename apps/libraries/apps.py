from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from apps.core import caching


class LibrariesConfig(AppConfig):
    name = "apps.libraries"
    label = "libraries"
    verbose_name = "Libraries"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from guardian.models import GroupObjectPermission, UserObjectPermission

        from apps.audit.registry import model_register
        from apps.libraries import checks  # noqa: F401 - registers the containment checks
        from apps.libraries.models import Library, LibraryFolder

        def library_changed(sender, instance, **kwargs) -> None:
            # Enabled, kind and existence decide who sees the library: cached access and contents are stale.
            caching.bump(caching.ACCESS)
            caching.bump(caching.library(instance.pk))

        # weak=False: a function defined in here is collected once ready() returns, and a weak receiver with it.
        post_save.connect(library_changed, sender=Library, weak=False, dispatch_uid="revenge-library-saved")
        post_delete.connect(library_changed, sender=Library, weak=False, dispatch_uid="revenge-library-deleted")
        model_register(Library)
        model_register(LibraryFolder)
        # Per-library grants: a row created is a permission granted, a row deleted one revoked.
        model_register(GroupObjectPermission)
        model_register(UserObjectPermission)
