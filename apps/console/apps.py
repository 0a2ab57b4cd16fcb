from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The operator console: the admin site's look, its dashboard and live panels (no models)."""

    name = "apps.console"
    label = "console"
    verbose_name = "Console"
