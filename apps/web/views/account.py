"""The viewer's own pages (a first frame: filled in by the requests and "me" work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.requests.selectors import may_request


@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    if not may_request(user=request.user):
        raise PermissionDenied("Your account may not request titles.")
    return render(request, "web/requests.html", {"title": "Requests"})


@login_required
def me_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/me.html", {"title": "Me"})
