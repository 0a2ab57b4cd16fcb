"""Middleware of the core app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from apps.core import logcontext
from apps.core.views import PROBES


class RequestIdMiddleware:
    """Gives each request an id (the trace id when tracing) for its log lines and the X-Request-ID header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logcontext.request_id_new(request.headers.get(logcontext.HEADER, ""))
        request.request_id = request_id
        # Not reset on the way out: Django logs a 4xx/5xx answer after the middleware returned, and that line
        # should name the request too. The thread's next request sets its own id.
        logcontext.request_id_var.set(request_id)
        response = self.get_response(request)
        response[logcontext.HEADER] = request_id
        return response


class HealthProbeMiddleware:
    """Answers the health probes before host validation, sessions and redirects get involved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = probe(request)
        response["Cache-Control"] = "no-store"
        return response
