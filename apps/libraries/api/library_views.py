from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Perm
from apps.core.api.viewsets import BaseViewSet
from apps.libraries import selectors, services
from apps.libraries.api.library_serializers import LibraryGrantsSerializer, LibrarySerializer


class LibraryViewSet(BaseViewSet):
    """Libraries you may see; creating, changing, deleting, scanning and granting need permissions."""

    selector = selectors.libraries_visible_to
    serializer_class = LibrarySerializer
    # A grant on one library (manage_library) stands in for the model permission on that library.
    action_permissions = ActionPermissions(
        {
            "list": SIGNED_IN,
            "retrieve": SIGNED_IN,
            "create": Perm("libraries.add_library"),
            "update": Perm("libraries.change_library", or_object="libraries.manage_library"),
            "partial_update": Perm("libraries.change_library", or_object="libraries.manage_library"),
            "destroy": Perm("libraries.delete_library"),
            "permissions": Perm("libraries.change_library", or_object="libraries.manage_library"),
            "metadata": SIGNED_IN,
        }
    )
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "last_scanned_at"]
    filterset_fields = ["kind", "enabled"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("folders")

    def perform_destroy(self, instance) -> None:
        services.library_delete(library=instance, by=self.request.user)

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
