"""URLs of bench/api.py: the project's, plus the floor of a signed-in API request (nothing read, nothing cached)."""

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from revenge.urls import urlpatterns as project_urls


class FloorView(BaseAPIView):
    """What every API request pays before its own work: middleware, token, rate limit, permission, rendering."""

    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    def get(self, request: Request) -> Response:
        return Response({"user": request.user.pk})


urlpatterns = [path("bench/floor/", FloorView.as_view()), *project_urls]
