"""Browsing pages (a first frame: filled in by the browsing work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.libraries.selectors import libraries_visible_to


@login_required
def library_page(request: HttpRequest, library_id: int) -> HttpResponse:
    library = libraries_visible_to(user=request.user).filter(pk=library_id).first()
    if library is None:
        raise Http404("No such library.")
    return render(request, "web/library.html", {"title": library.name, "library": library})


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/search.html", {"title": "Search", "q": request.GET.get("q", "")[:200]})
