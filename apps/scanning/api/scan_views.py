from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Perm
from apps.core.api.viewsets import BaseGenericViewSet, BaseReadOnlyViewSet
from apps.libraries.selectors import libraries_visible_to
from apps.scanning import selectors, services
from apps.scanning.api.scan_filters import LibraryScanFilter
from apps.scanning.api.scan_serializers import LibraryScanDetailSerializer, LibraryScanSerializer, ScanRequestSerializer

ScanStarted = inline_serializer("ScanStarted", {"scan": serializers.IntegerField()})


class LibraryScanStartViewSet(BaseGenericViewSet):
    """`POST /libraries/{id}/scan/`: scanning's action on a library, beside the libraries app's own routes."""

    selector = libraries_visible_to
    serializer_class = ScanRequestSerializer
    # A grant on one library stands in for the model permission on that library.
    action_permissions = ActionPermissions(
        {"scan": Perm("libraries.scan_library", or_object="libraries.manage_library"), "metadata": SIGNED_IN}
    )

    @extend_schema(tags=["libraries"], request=ScanRequestSerializer, responses={202: ScanStarted, 409: ScanStarted})
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


class LibraryScanViewSet(BaseReadOnlyViewSet):
    """Scans of the libraries you may scan, with status, counters, progress and errors."""

    selector = selectors.scans_visible_to
    action_permissions = ActionPermissions(
        {"list": SIGNED_IN, "retrieve": SIGNED_IN, "cancel": SIGNED_IN, "metadata": SIGNED_IN}
    )
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
