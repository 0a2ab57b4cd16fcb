"""Per-request profiling with pyinstrument, installed only when REVENGE_PROFILING=1."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse


def _superuser(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_superuser)


class ProfilingMiddleware:
    """`?profile=1` on any URL, by a superuser (session or API token), returns pyinstrument's report instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.PROFILING:
            raise MiddlewareNotUsed("REVENGE_PROFILING is off")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "profile" not in request.GET:
            return self.get_response(request)
        # A token is checked by DRF inside the view, after this runs: a request that carries one is profiled on
        # trust, and the report is shown only if DRF then set a superuser on it (its Request sets ours too).
        if not (_superuser(request) or request.headers.get("Authorization")):
            return self.get_response(request)
        from pyinstrument import Profiler  # optional: in requirements/prod.txt only; needed only when profiling

        profiler = Profiler()
        profiler.start()
        try:
            response = self.get_response(request)
        finally:
            profiler.stop()
        if not _superuser(request):
            return response
        return HttpResponse(profiler.output_html(), content_type="text/html; charset=utf-8")
