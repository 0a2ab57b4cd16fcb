"""The viewer's own pages (a first frame: filled in by the requests and "me" work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def me_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/me.html", {"title": "Me"})
