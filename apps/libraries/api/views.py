from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import ActionPermissions
from apps.core.api.viewsets import SelectorModelViewSet, SelectorReadOnlyViewSet
from apps.core.api.visible_filters import visible_choice
from apps.libraries import selectors, services
from apps.libraries.api.serializers import (
    LibraryGrantsSerializer,
    LibraryScanDetailSerializer,
    LibraryScanSerializer,
    LibrarySerializer,
    ScanRequestSerializer,
)
from apps.libraries.models import LibraryScan

ScanStarted = inline_serializer("ScanStarted", {"scan": serializers.IntegerField()})


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
        "scan": "libraries.scan_library",
        "permissions": "libraries.change_library",
    }
    # A grant on one library stands in for the model permission on that library.
    object_permissions = {
        "update": "libraries.manage_library",
        "partial_update": "libraries.manage_library",
        "scan": "libraries.manage_library",
        "permissions": "libraries.manage_library",
    }
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "last_scanned_at"]
    filterset_fields = ["kind", "enabled"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("folders")

    @extend_schema(request=ScanRequestSerializer, responses={202: ScanStarted, 409: ScanStarted})
    @action(detail=True, methods=["post"])
    def scan(self, request: Request, pk: str | None = None) -> Response:
        """Start a scan in the workers; 409 with the running scan's id when one is active."""
        library = self.get_object()
        options = ScanRequestSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        try:
            scan = services.library_scan_enqueue(library=library, full=options.validated_data["full"])
        except services.ScanAlreadyRunningError as exc:
            body = {"detail": str(exc), "code": "scan_running", "scan": exc.scan.pk}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response({"scan": scan.pk}, status=status.HTTP_202_ACCEPTED)

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


class LibraryScanFilter(filters.FilterSet):
    library = visible_choice(selectors.libraries_visible_to)

    class Meta:
        model = LibraryScan
        fields = ["library", "status", "kind"]


class LibraryScanViewSet(SelectorReadOnlyViewSet):
    """Scans of the libraries you may scan, with status, counters, progress and errors."""

    selector = selectors.scans_visible_to
    filterset_class = LibraryScanFilter
    ordering_fields = ["created_at"]

    def get_serializer_class(self):
        return LibraryScanDetailSerializer if self.action == "retrieve" else LibraryScanSerializer

    @extend_schema(request=None, responses={200: LibraryScanSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        scan = self.get_object()
        services.scan_cancel(scan=scan)
        scan.refresh_from_db()
        return Response(LibraryScanSerializer(scan).data)
