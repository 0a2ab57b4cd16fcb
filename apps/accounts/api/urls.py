from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.accounts.api.session_views import (
    LoginView,
    LogoutAllView,
    LogoutView,
    SessionDetailView,
    SessionListView,
)
from apps.accounts.api.user_views import RoleViewSet, TokenCreateView, UserMeView, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("roles", RoleViewSet, basename="role")

urlpatterns = [
    path("users/me/", UserMeView.as_view(), name="user-me"),
    path("auth/token/", TokenCreateView.as_view(), name="auth-token"),
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="auth-logout-all"),
    path("auth/sessions/", SessionListView.as_view(), name="auth-sessions"),
    path("auth/sessions/<str:device_id>/", SessionDetailView.as_view(), name="auth-session"),
    *router.urls,
]
