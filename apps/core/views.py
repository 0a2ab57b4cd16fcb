"""Health endpoints: liveness, readiness and startup probes (no authentication, JSON)."""

from __future__ import annotations

import prometheus_client
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django_prometheus.exports import ExportToDjangoView

from apps.core import health, metrics_access
from apps.core.metrics import state_registry


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    status, body = health.readiness()
    return JsonResponse(body, status=status)


def startupz(request: HttpRequest) -> JsonResponse:
    try:
        applied = health.migrations_applied()
    except Exception as exc:
        return JsonResponse({"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}, status=503)
    if not applied:
        return JsonResponse({"status": "starting", "reason": "migrations are not applied yet"}, status=503)
    return JsonResponse({"status": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 (Payload Too Large), anything else 400."""
    if isinstance(exception, RequestDataTooBig):
        detail = "The request body is larger than this server accepts."
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": "too_large"}, status=413)
        return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: an API path no route matches (`/api/v1/movies/abc/`) answers JSON like every API error."""
    if request.path.startswith("/api/"):
        compact = {"separators": (",", ":")}  # as DRF writes every other API error
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404, json_dumps_params=compact)
    return defaults.page_not_found(request, exception)


PROBES = {"/healthz": healthz, "/readyz": readyz, "/startupz": startupz}


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text: every web worker's metrics (multiprocess mode) plus state read from the database."""
    refused = metrics_access.metrics_refusal(request)
    if refused is not None:
        return refused

    response = ExportToDjangoView(request)
    response.content += prometheus_client.generate_latest(state_registry)
    return response
