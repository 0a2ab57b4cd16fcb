"""Health endpoints: liveness, readiness and startup probes (no authentication, JSON)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.core import health, metrics_access


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


PROBES = {"/healthz": healthz, "/readyz": readyz, "/startupz": startupz}


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text: every web worker's metrics (multiprocess mode) plus state read from the database."""
    refused = metrics_access.metrics_refusal(request)
    if refused is not None:
        return refused
    import prometheus_client
    from django_prometheus.exports import ExportToDjangoView

    from apps.core.metrics import state_registry

    response = ExportToDjangoView(request)
    response.content += prometheus_client.generate_latest(state_registry)
    return response
