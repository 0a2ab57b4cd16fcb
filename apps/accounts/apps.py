from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.accounts import activity, signals

        activity.models_register()  # its auth and security listeners subscribed on import
        post_migrate.connect(signals.setup_roles_after_migrate, dispatch_uid="revenge-setup-roles")
