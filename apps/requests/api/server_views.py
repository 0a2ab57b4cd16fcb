from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Perm
from apps.core.api.viewsets import BaseViewSet
from apps.requests import selectors, services
from apps.requests.api.server_serializers import ArrServerSerializer, ConnectionTestSerializer, ServerOptionsSerializer
from apps.requests.arr import ArrError
from apps.requests.models import ArrServer


class ArrServerViewSet(BaseViewSet):
    """Radarr and Sonarr servers (admins); the API key is write-only."""

    selector = selectors.arr_servers_visible_to
    serializer_class = ArrServerSerializer
    action_permissions = ActionPermissions(
        {
            "list": Perm("requests.view_arrserver"),
            "retrieve": Perm("requests.view_arrserver"),
            "create": Perm("requests.add_arrserver"),
            "update": Perm("requests.change_arrserver"),
            "partial_update": Perm("requests.change_arrserver"),
            "destroy": Perm("requests.delete_arrserver"),
            "test": Perm("requests.change_arrserver"),
            "server_options": Perm("requests.view_arrserver"),
            "metadata": SIGNED_IN,
        }
    )
    filterset_fields = ["kind", "enabled"]

    def perform_create(self, serializer) -> None:
        self._save(serializer)

    def perform_update(self, serializer) -> None:
        self._save(serializer)

    def _save(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        make_default = bool(fields.pop("is_default", False))
        server = serializer.instance or ArrServer()
        for name, value in fields.items():
            setattr(server, name, value)
        serializer.instance = services.arr_server_save(server=server, by=self.request.user, make_default=make_default)

    def perform_destroy(self, instance) -> None:
        services.arr_server_delete(server=instance, by=self.request.user)

    @extend_schema(request=None, responses={200: ConnectionTestSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Ask the server for its status (GET /api/v3/system/status) and say how it went."""
        ok, message = services.arr_server_test(server=self.get_object())
        return Response({"ok": ok, "message": message})

    @extend_schema(responses={200: ServerOptionsSerializer})
    # Not named `options`: that would answer every HTTP OPTIONS request of this viewset (and fail on the list).
    @action(detail=True, methods=["get"], url_path="options", url_name="options")
    def server_options(self, request: Request, pk: str | None = None) -> Response:
        """Quality profiles and root folders of the server; 502 with the reason when it cannot tell."""
        try:
            return Response(services.arr_server_options(server=self.get_object()))
        except ArrError as exc:
            return Response({"detail": str(exc), "code": "arr_unavailable"}, status=status.HTTP_502_BAD_GATEWAY)
