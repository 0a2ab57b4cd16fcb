from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.audit import registry, subscribers  # noqa: F401 - entry naming, schedules audited, event listeners
        from apps.audit.middleware import receiver_connect

        receiver_connect()
