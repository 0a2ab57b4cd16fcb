"""URL map: admin, the versioned API, its schema and docs, metrics, the web app. Health probes live in middleware."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import views as core_views

handler400 = "apps.core.views.bad_request"
handler404 = "apps.core.views.page_not_found"

# Every app's admin.py, loaded here rather than at start-up (apps/core/admin_app.py); the site is the console's.
admin.autodiscover()

api_v1 = [
    path("", include("apps.accounts.api.urls")),
    path("", include("apps.libraries.api.urls")),
    path("", include("apps.media.api.urls")),
    path("", include("apps.metadata.api.urls")),
    path("", include("apps.scanning.api.urls")),
    path("", include("apps.audit.api.urls")),
    path("", include("apps.notifications.api.urls")),
    path("", include("apps.playback.api.urls")),
    path("", include("apps.requests.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("metrics", core_views.metrics, name="prometheus-metrics"),
    # Last: the viewers' web app owns the rest of the site.
    path("", include("apps.web.urls")),
]
