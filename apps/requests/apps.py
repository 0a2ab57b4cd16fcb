from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "apps.requests"
    label = "requests"
    verbose_name = "Requests"

    def ready(self) -> None:
        # Imported here, not at the top: they import models, which exist only once the app registry is ready.
        from apps.audit.registry import model_register
        from apps.requests.models import ArrServer, MediaRequest

        model_register(ArrServer, exclude_fields=["api_key", "webhook_secret", "last_checked_at", "last_check"])
        model_register(MediaRequest, exclude_fields=["updated_at"], m2m_fields={"subscribers"})
