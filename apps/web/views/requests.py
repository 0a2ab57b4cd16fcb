"""Requests: look titles up (TMDb, or Radarr/Sonarr), request them, see quota and your requests, withdraw one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.requests import selectors, services
from apps.requests.errors import RequestRefused
from apps.requests.models import MediaRequest
from apps.web.forms_requests import RequestForm, TitleSearchForm

OPEN = set(MediaRequest.OPEN)
MY_REQUESTS_SHOWN = 100


def _denied(request: HttpRequest) -> HttpResponse:
    context = {"title": "Requests", "reason": "Your account may not request titles. Ask an admin if it should."}
    return render(request, "web/requests_denied.html", context, status=403)


def _state(item: dict) -> str:
    """What a result's button says, as the API marks it: in a library, requested (open), or not yet."""
    if item["in_library"] or item["request_status"] == MediaRequest.Status.AVAILABLE:
        return "available"
    if item["request_status"] in OPEN:
        return "requested"
    return "request"


def _page(
    request: HttpRequest,
    *,
    search: TitleSearchForm,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    results, search_error = None, None
    if search.is_bound and search.is_valid():
        try:
            results = selectors.title_search(user=user, **search.cleaned_data)
        except RequestRefused as exc:
            search_error = _sentence(str(exc))
            status = max(status, exc.status)
        for item in results or []:
            item["state"] = _state(item)
            item["external_id"] = item["tmdb_id"] if item["kind"] == MediaRequest.Kind.MOVIE else item["tvdb_id"]
    elif search.is_bound:
        status = max(status, 400)
    mine = (
        selectors.requests_visible_to(user=user)
        .filter(Q(requested_by=user) | Q(subscribers=user))
        .distinct()
        .order_by("-created_at")[:MY_REQUESTS_SHOWN]
    )
    context = {
        "title": "Requests",
        "search": search,
        "results": results,
        "search_error": search_error,
        "error": error,
        "quotas": [
            ("Movies", selectors.request_quota(user=user, kind=MediaRequest.Kind.MOVIE)),
            ("Shows", selectors.request_quota(user=user, kind=MediaRequest.Kind.SHOW)),
        ],
        "mine": [(r, r.requested_by_id == user.pk) for r in mine],
    }
    return render(request, "web/requests.html", context, status=status)


def _search_form(data) -> TitleSearchForm:
    """Bound when a query was sent (even an empty one); else the blank form with the kind asked for."""
    if "q" in data:
        return TitleSearchForm({"kind": data.get("kind") or MediaRequest.Kind.MOVIE, "q": data.get("q")})
    return TitleSearchForm(initial={"kind": data.get("kind") or MediaRequest.Kind.MOVIE})


@login_required
@require_GET
def requests_page(request: HttpRequest) -> HttpResponse:
    if not selectors.may_request(user=request.user):
        return _denied(request)
    return _page(request, search=_search_form(request.GET))


def _back(data) -> str:
    """Back to the search the request was made from."""
    query = {k: str(data.get(k))[:200] for k in ("kind", "q") if data.get(k)}
    return reverse("web:requests") + (f"?{urlencode(query)}" if query else "")


@login_required
@require_POST
def request_make(request: HttpRequest) -> HttpResponse:
    """Request a title (or join its open request) through the same service as the API."""
    if not selectors.may_request(user=request.user):
        return _denied(request)
    form = RequestForm(request.POST)
    search = _search_form(request.POST)
    if not form.is_valid():
        told = " ".join(message for errors in form.errors.values() for message in errors)
        return _page(request, search=search, error=f"The request was not understood. {told}", status=400)
    data = form.cleaned_data
    try:
        made, created = services.request_create(
            user=request.user, kind=data["kind"], external_id=data["external_id"], seasons=data["seasons"] or None
        )
    except PermissionDenied as exc:
        return _page(request, search=search, error=str(exc).capitalize(), status=403)
    except RequestRefused as exc:
        return _page(request, search=search, error=_sentence(str(exc)), status=exc.status)
    except ValidationError as exc:
        return _page(request, search=search, error=_sentence(" ".join(exc.messages)), status=400)
    said = "Requested" if created else "You joined the open request for"
    messages.success(request, f"{said} {made}.")
    return redirect(_back(request.POST))


@login_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    """Withdraw your request (or leave one you joined); the service decides what may still be withdrawn."""
    found = selectors.requests_visible_to(user=request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404("No such request.")
    try:
        services.request_withdraw(request=found, by=request.user)
    except (PermissionDenied, RequestRefused) as exc:
        messages.error(request, f"{found} was not cancelled: {exc}.")
        return redirect(_back(request.POST))
    messages.success(request, f"Cancelled {found}.")
    return redirect(_back(request.POST))


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text
