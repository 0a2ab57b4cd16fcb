"""View as a user: the catalogue (movies and shows) through that user's own selectors, read-only, so an
operator sees what they see. Items in libraries the operator may not see themselves are counted, not listed."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from apps.accounts.selectors import users_visible_to
from apps.libraries.selectors import libraries_visible_to
from apps.media.selectors import movies_visible_to, shows_visible_to

SHOWN = 200  # a page for reading, not the whole catalogue; counts say how many there are


def _listing(items: QuerySet, operator_libraries: QuerySet) -> dict:
    """What the user sees of one kind: rows the operator may read too, and how many are hidden from them."""
    theirs = items.select_related("library")
    readable = theirs.filter(library__in=operator_libraries)
    return {
        "rows": list(readable.order_by("sort_title", "title", "pk")[:SHOWN]),
        "count": readable.count(),
        "hidden": theirs.count() - readable.count(),
        "shown": SHOWN,
    }


@require_GET
def view_as(request: HttpRequest, user_id: int) -> HttpResponse:
    person = users_visible_to(user=request.user).filter(pk=user_id).first()
    if person is None:
        raise Http404("no such user")
    own = libraries_visible_to(user=request.user)
    context = {
        **admin.site.each_context(request),
        "title": f"The catalogue as {person.get_username()} sees it",
        "person": person,
        "libraries": libraries_visible_to(user=person).filter(pk__in=own).order_by("name"),
        "movies": _listing(movies_visible_to(user=person), own),
        "shows": _listing(shows_visible_to(user=person), own),
    }
    return TemplateResponse(request, "admin/console/access/view_as.html", context)
