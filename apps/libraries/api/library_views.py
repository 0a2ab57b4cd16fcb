from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import ActionPermissions
from apps.core.api.viewsets import SelectorModelViewSet
from apps.libraries import selectors, services
from apps.libraries.api.library_serializers import LibraryGrantsSerializer, LibrarySerializer


class LibraryViewSet(SelectorModelViewSet):
    """Libraries you may see; creating, changing, deleting, scanning and granting need permissions."""

    selector = selectors.libraries_visible_to
    serializer_class = LibrarySerializer
    permission_classes = [ActionPermissions]
    action_permissions = {
        "create": "libraries.add_library",
        "update": "libraries.change_library",
        "partial_update": "libraries.change_library",
        "destroy": "libraries.delete_library",
        "permissions": "libraries.change_library",
    }
    # A grant on one library stands in for the model permission on that library.
    object_permissions = {
        "update": "libraries.manage_library",
        "partial_update": "libraries.manage_library",
        "permissions": "libraries.manage_library",
    }
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "last_scanned_at"]
    filterset_fields = ["kind", "enabled"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("folders")

    @extend_schema(methods=["GET"], responses=LibraryGrantsSerializer)
    @extend_schema(methods=["PUT"], request=LibraryGrantsSerializer, responses=LibraryGrantsSerializer)
    @action(detail=True, methods=["get", "put"])
    def permissions(self, request: Request, pk: str | None = None) -> Response:
        """Per-library grants to roles and users: view_library, download_library, manage_library."""
        library = self.get_object()
        if request.method == "PUT":
            grants = LibraryGrantsSerializer(data=request.data)
            grants.is_valid(raise_exception=True)
            result = services.library_grants_set(library=library, by=request.user, **grants.validated_data)
            return Response(result)
        return Response(services.library_grants(library=library))
