from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import IsManager, IsManagerOrReadOnly
from apps.core.api.viewsets import SelectorModelViewSet, SelectorReadOnlyViewSet
from apps.libraries import selectors, services
from apps.libraries.api.serializers import (
    LibraryScanDetailSerializer,
    LibraryScanSerializer,
    LibrarySerializer,
    ScanRequestSerializer,
)

ScanStarted = inline_serializer("ScanStarted", {"scan": serializers.IntegerField()})


class LibraryViewSet(SelectorModelViewSet):
    """Libraries: everyone signed in reads the ones they may see; managers create, change and scan."""

    selector = selectors.libraries_visible_to
    serializer_class = LibrarySerializer
    permission_classes = [IsManagerOrReadOnly]
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "last_scanned_at"]
    filterset_fields = ["kind", "enabled"]

    @extend_schema(request=ScanRequestSerializer, responses={202: ScanStarted, 409: ScanStarted})
    @action(detail=True, methods=["post"], permission_classes=[IsManager])
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


class LibraryScanViewSet(SelectorReadOnlyViewSet):
    """Scans with their status, counters, progress and errors (managers)."""

    selector = selectors.scans_visible_to
    permission_classes = [IsManager]
    filterset_fields = ["library", "status", "kind"]
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
