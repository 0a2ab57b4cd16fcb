"""Per-request profiling with pyinstrument, installed only when REVENGE_PROFILING=1."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ProfilingMiddleware:
    """`?profile=1` on any URL, by a superuser, returns pyinstrument's HTML report instead of the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if "profile" not in request.GET or not (user and user.is_authenticated and user.is_superuser):
            return self.get_response(request)
        from pyinstrument import Profiler  # optional: in requirements/prod.txt only; needed only when profiling

        profiler = Profiler()
        profiler.start()
        self.get_response(request)
        profiler.stop()
        return HttpResponse(profiler.output_html(), content_type="text/html; charset=utf-8")
