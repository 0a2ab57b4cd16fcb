from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from apps.accounts import signals

        post_migrate.connect(signals.setup_roles_after_migrate, dispatch_uid="revenge-setup-roles")
