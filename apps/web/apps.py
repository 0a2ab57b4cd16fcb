from django.apps import AppConfig


class WebConfig(AppConfig):
    """The viewers' web app: sign in, browse, play, request; server-rendered over the same selectors as the API."""

    name = "apps.web"
    label = "web"
    verbose_name = "Web app"
