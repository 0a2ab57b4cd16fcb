"""The metadata side of the catalogue admin: "Refresh metadata" actions, an Identify page per movie and show,
a filter on the match state, and a banner while lookups are off. Every change goes through metadata services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

import apps.media.admin as media_admin
from apps.libraries import rules
from apps.libraries.admin import LibraryAdmin as BaseLibraryAdmin
from apps.libraries.models import Library
from apps.media.models import Movie, Show
from apps.metadata import services
from apps.metadata.api.metadata_serializers import IdentifyQuerySerializer, poster_url
from apps.metadata.tmdb.client import TmdbError, tmdb_enabled

LOOKUP_OFF = "Metadata lookup is off: set REVENGE_TMDB_API_KEY or REVENGE_TMDB_TOKEN."


def lookup_off_warn(request: HttpRequest) -> bool:
    """Say on the page that lookups are off; whether they are."""
    if tmdb_enabled():
        return False
    messages.warning(request, LOOKUP_OFF)
    return True


def _refresh(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, key: str) -> None:
    if lookup_off_warn(request):
        return
    allowed = [item.pk for item in queryset.select_related("library") if _manages(request, item.library)]
    refused = queryset.count() - len(allowed)
    if refused:
        model_admin.message_user(
            request, f"{refused} item(s) skipped: you do not manage their library.", messages.ERROR
        )
    if allowed:
        tasks = services.metadata_refresh_enqueue(**{key: allowed})
        model_admin.message_user(request, f"Metadata refresh queued for {len(allowed)} item(s) ({tasks} task(s)).")


def _manages(request: HttpRequest, library: Library) -> bool:
    return rules.may_manage_library(actor=request.user, library=library)


class MetadataItemAdmin:
    """What movies and shows gain here; mixed into media's admin classes below."""

    # No change_form_template: the page is found as admin/media/<model>/change_form.html, which builds on
    # admin/metadata/item_change_form.html (the console adds the item's media page there).
    ids_key = ""

    def get_list_display(self, request):
        return (*super().get_list_display(request), "metadata_status", "identify_link")

    @admin.display(description="")
    def identify_link(self, item: Model) -> str:
        opts = item._meta
        return format_html(
            '<a href="{}">Identify</a>', reverse(f"admin:{opts.app_label}_{opts.model_name}_identify", args=[item.pk])
        )

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), "metadata_status")

    def changelist_view(self, request, extra_context=None):
        lookup_off_warn(request)
        return super().changelist_view(request, extra_context)

    @admin.action(description="Refresh metadata from TMDb")
    def refresh_metadata(self, request: HttpRequest, queryset: QuerySet) -> None:
        _refresh(self, request, queryset, self.ids_key)

    def get_urls(self):
        opts = self.model._meta
        identify = self.admin_site.admin_view(self.identify_view)
        name = f"{opts.app_label}_{opts.model_name}_identify"
        return [path("<int:item_id>/identify/", identify, name=name), *super().get_urls()]

    def _item(self, request: HttpRequest, item_id: int) -> Model:
        """The item through the selector (404 when not visible), for one who manages its library (else 403)."""
        item = self.get_queryset(request).select_related("library").filter(pk=item_id).first()
        if item is None:
            raise Http404("No such item.")
        if not _manages(request, item.library):
            raise PermissionDenied
        return item

    def identify_view(self, request: HttpRequest, item_id: int) -> HttpResponse:
        """GET: search TMDb (the item's title, or q and year) and list the candidates; POST tmdb_id: match to it."""
        item = self._item(request, item_id)
        change_url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
        off = lookup_off_warn(request)
        if request.method == "POST" and not off:
            try:
                tmdb_id = int(request.POST.get("tmdb_id", ""))
                item = services.item_identify(item=item, tmdb_id=tmdb_id, by=request.user)
            except ValueError:
                self.message_user(request, "Pick a candidate: the TMDb id is missing or not a number.", messages.ERROR)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            except TmdbError as error:
                self.message_user(request, f"TMDb could not be asked: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{item} is now matched to TMDb {item.tmdb_id} (locked).", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        asked = IdentifyQuerySerializer(data={k: v for k, v in request.GET.items() if k in ("q", "year") and v})
        candidates, problem = [], ""
        if off:
            pass
        elif not asked.is_valid():
            problem = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in asked.errors.items())
        else:
            try:
                found = services.identify_candidates(item=item, **_search(asked.validated_data))
                candidates = [{**c, "poster_url": poster_url(c.get("poster_path"))} for c in found]
            except TmdbError as error:
                problem = f"TMDb could not be asked: {error}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Identify {item}",
            "item": item,
            "change_url": change_url,
            "candidates": candidates,
            "problem": problem,
            "lookup_off": off,
            "q": request.GET.get("q", ""),
            "year": request.GET.get("year", ""),
        }
        return TemplateResponse(request, "admin/metadata/identify.html", context)


def _search(asked: dict) -> dict:
    return {"query": asked.get("q"), "year": asked.get("year")}


admin.site.unregister(Movie)
admin.site.unregister(Show)
admin.site.unregister(Library)


@admin.register(Movie)
class MovieAdmin(MetadataItemAdmin, media_admin.MovieAdmin):
    ids_key = "movie_ids"
    actions = ["refresh_metadata"]


@admin.register(Show)
class ShowAdmin(MetadataItemAdmin, media_admin.ShowAdmin):
    ids_key = "show_ids"
    actions = ["refresh_metadata"]


@admin.register(Library)
class LibraryAdmin(BaseLibraryAdmin):
    """Libraries with "Refresh metadata" (scanning adds its scan actions on top of this class)."""

    actions = ["refresh_metadata"]

    @admin.action(description="Refresh metadata from TMDb")
    def refresh_metadata(self, request: HttpRequest, queryset: QuerySet[Library]) -> None:
        if lookup_off_warn(request):
            return
        for library in queryset:
            if not _manages(request, library):
                self.message_user(request, f"You may not refresh {library}.", messages.ERROR)
                continue
            tasks = services.metadata_refresh_enqueue(library=library)
            self.message_user(request, f"Metadata refresh of {library} queued ({tasks} task(s)).")
