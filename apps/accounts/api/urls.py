from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.accounts.api.views import RoleViewSet, TokenCreateView, UserMeView, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("roles", RoleViewSet, basename="role")

urlpatterns = [
    path("users/me/", UserMeView.as_view(), name="user-me"),
    path("auth/token/", TokenCreateView.as_view(), name="auth-token"),
    *router.urls,
]
