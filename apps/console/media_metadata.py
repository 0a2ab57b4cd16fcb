"""The metadata box of a movie's, show's or episode's console page: refresh from TMDb, identify (search and pick
a match, or a TMDb id), and the fields an operator's edits locked, each with an unlock button.

Writes go through the metadata services and apps/media/edits.py; a bad input is told next to its field and
changes nothing. htmx swaps the box in place; without htmx the box comes back as a page of its own.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from django_htmx.middleware import HtmxDetails

from apps.libraries import rules
from apps.media import edits, selectors
from apps.media.models import Episode, Movie
from apps.metadata import services as metadata_services
from apps.metadata.api.metadata_serializers import MAX_TMDB_ID, poster_url
from apps.metadata.tmdb.client import TmdbError, tmdb_enabled

BOX = "admin/console/media/metadata_box.html"
PAGE = "admin/console/media/metadata_page.html"
SELECTORS = {
    "movie": selectors.movies_visible_to,
    "show": selectors.shows_visible_to,
    "episode": selectors.episodes_visible_to,
}
LOOKUP_OFF = "Metadata lookup is off: set REVENGE_TMDB_API_KEY or REVENGE_TMDB_TOKEN."


class BoxForm(forms.Form):
    """Ids of its own (cm-q, cm-year, cm-tmdb_id): the change form below holds id_year and friends."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "cm-%s")
        super().__init__(*args, **kwargs)


class IdentifySearchForm(BoxForm):
    q = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title to search TMDb for."},
    )
    year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=1870,
        max_value=2999,
        error_messages={"invalid": "A year is four digits, like 1999."},
    )


class IdentifyPickForm(BoxForm):
    tmdb_id = forms.IntegerField(
        label="TMDb id",
        min_value=1,
        max_value=MAX_TMDB_ID,
        error_messages={
            "required": "Enter the TMDb id to match to.",
            "invalid": "A TMDb id is a whole number, like 603.",
        },
    )


def item_of(*, user, kind: str, pk: int) -> Model:
    """The item through its selector (404 for what the operator cannot see or a kind we do not know)."""
    selector = SELECTORS.get(kind)
    if selector is None:
        raise Http404("no such kind of item")
    related = "show__library" if kind == "episode" else "library"
    item = selector(user=user).select_related(related).filter(pk=pk).first()
    if item is None:
        raise Http404("no such item")
    return item


def _library(item: Model):
    return item.show.library if isinstance(item, Episode) else item.library


def box_context(
    *,
    user,
    item: Model,
    search: IdentifySearchForm | None = None,
    pick: IdentifyPickForm | None = None,
    candidates: list[dict] | None = None,
    notice: str = "",
    error: str = "",
) -> dict:
    kind = "episode" if isinstance(item, Episode) else ("movie" if isinstance(item, Movie) else "show")
    identifiable = kind != "episode"
    return {
        "item": item,
        "kind": kind,
        "identifiable": identifiable,
        "manages": rules.may_manage_library(actor=user, library=_library(item)),
        "lookup_on": tmdb_enabled(),
        "locked": list(item.locked_fields),
        "search": search or IdentifySearchForm(initial={"q": item.title, "year": getattr(item, "year", None)}),
        "pick": pick or IdentifyPickForm(),
        "candidates": candidates,
        "notice": notice,
        "error": error,
    }


def _search(item: Model, form: IdentifySearchForm) -> list[dict] | None:
    """TMDb's candidates for a valid search form, or None with the reason added to the form."""
    if not form.is_valid():
        return None
    try:
        found = metadata_services.identify_candidates(
            item=item, query=form.cleaned_data["q"], year=form.cleaned_data["year"]
        )
    except TmdbError as exc:
        form.add_error(None, f"TMDb could not be asked: {exc}")
        return None
    return [{**candidate, "poster_url": poster_url(candidate.get("poster_path"))} for candidate in found]


def _post(request: HttpRequest, item: Model) -> dict:
    """Carry out one POSTed action; what the box then says (notice, error or a form with its errors)."""
    action = request.POST.get("action", "")
    user = request.user
    if action == "unlock":
        field = request.POST.get("field", "")
        try:
            edits.fields_unlock(item=item, fields=[field], by=user)
        except ValueError as exc:
            return {"error": f"Nothing unlocked: {exc}."}
        return {"notice": f"{field} unlocked: the next refresh may fill it again."}
    if isinstance(item, Episode) or action not in ("refresh", "identify"):
        return {"error": "Unknown action."}
    if not tmdb_enabled():
        return {"error": LOOKUP_OFF}
    if action == "refresh":
        key = "movie_ids" if isinstance(item, Movie) else "show_ids"
        tasks = metadata_services.metadata_refresh_enqueue(**{key: [item.pk]})
        return {"notice": f"Metadata refresh of {item} queued ({tasks} task{'s' if tasks != 1 else ''})."}
    pick = IdentifyPickForm(request.POST)
    if not pick.is_valid():
        return {"pick": pick}
    try:
        matched = metadata_services.item_identify(item=item, tmdb_id=pick.cleaned_data["tmdb_id"], by=user)
    except ValidationError as exc:
        pick.add_error("tmdb_id", exc.message_dict.get("tmdb_id", exc.messages))
        return {"pick": pick}
    except TmdbError as exc:
        pick.add_error(None, f"TMDb could not be asked: {exc}")
        return {"pick": pick}
    return {"notice": f"Matched to TMDb {matched.tmdb_id} (locked); the page shows its new details on reload."}


@require_http_methods(["GET", "POST"])
def media_metadata(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """GET: the box (with `q`, TMDb's candidates). POST action=refresh|identify|unlock: do it, then the box."""
    item = item_of(user=request.user, kind=kind, pk=pk)
    if not rules.may_manage_library(actor=request.user, library=_library(item)):
        raise PermissionDenied("you do not manage this library")
    said: dict = {}
    if request.method == "POST":
        said = _post(request, item)
        item = item_of(user=request.user, kind=kind, pk=pk)  # as the action left it
    elif "q" in request.GET and not isinstance(item, Episode):
        search = IdentifySearchForm(request.GET)
        if not tmdb_enabled():
            said = {"error": LOOKUP_OFF, "search": search}
        else:
            said = {"search": search, "candidates": _search(item, search)}
    context = box_context(user=request.user, item=item, **said)
    if HtmxDetails(request):
        return TemplateResponse(request, BOX, context)
    page = {**admin.site.each_context(request), **context, "title": f"Metadata of {item}"}
    return TemplateResponse(request, PAGE, page, status=400 if _has_errors(context) else 200)


def _has_errors(context: dict) -> bool:
    return bool(context["error"] or context["search"].errors or context["pick"].errors)
