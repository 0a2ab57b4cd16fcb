"""The viewers' web app, mounted at the site root (after /admin/ and /api/). Each area has its own URL module
in the same `web:` namespace: browsing, watching, and the viewer's own things (requests, me)."""

from django.urls import include, path

from apps.web.views import auth, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.login_page, name="login"),
    path("logout/", auth.logout_page, name="logout"),
    path("", include("apps.web.urls_browse")),
    path("", include("apps.web.urls_watch")),
    path("", include("apps.web.urls_account")),
]
