"""Operator views of the catalogue: movies and shows with their files and streams."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

import apps.media.duplicates.admin  # noqa: F401 - registers the duplicate review admin
from apps.core.admin_writes import ServiceWrites
from apps.media import edits, selectors
from apps.media.models import Episode, Genre, MediaFile, MediaStream, Movie, Season, Show, Studio, Subtitle


class SelectorAdmin(admin.ModelAdmin):
    """The admin shows what the app's selector lets the operator see, like the API; edits and deletions go
    through apps/media/edits.py (activity log, parental age, cache), like every other writer."""

    selector = None

    def get_queryset(self, request):
        return type(self).selector(user=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Fields the operator's edits locked carry a lock in their label (the metadata box above unlocks them)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in getattr(obj, "locked_fields", None) or ():
            field = form.base_fields.get(name)  # a fresh form class per request: its fields are its own
            if field is not None:
                field.label = f"{field.label or name.replace('_', ' ').capitalize()} 🔒"
                field.help_text = "Locked: metadata refreshes keep this value. Unlock it under Metadata above."
        return form

    def save_model(self, request, obj, form, change: bool) -> None:
        if not change:  # the catalogue is built by scans; nothing here adds to it
            raise PermissionDenied("items are added by scanning their library")
        many = {f.name for f in obj._meta.many_to_many}
        related = {name: form.cleaned_data[name] for name in form.changed_data if name in many}
        edits.item_update(item=obj, by=request.user, fields=list(form.changed_data), related=related)

    def save_related(self, request, form, formsets, change: bool) -> None:
        # The many-to-many fields were set by the edits service in save_model; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj) -> None:
        edits.item_delete(item=obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for item in queryset:
            edits.item_delete(item=item, by=request.user)

    def has_add_permission(self, request) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MovieFileInline(ReadOnlyInline):
    model = MediaFile
    fields = ("path", "container", "duration", "size", "version", "part", "extra_type", "probe_status")
    readonly_fields = fields


class StreamInline(ReadOnlyInline):
    model = MediaStream
    fields = ("index", "type", "codec", "profile", "width", "height", "frame_rate", "hdr", "channels", "language")
    readonly_fields = fields
    show_change_link = False


class SubtitleInline(ReadOnlyInline):
    model = Subtitle
    fields = ("path", "language", "forced", "sdh", "format")
    readonly_fields = fields
    show_change_link = False


# Kept by the scanner and the metadata provider; an operator's edit locks a field instead (apps/media/edits.py).
METADATA_STATE = (
    "metadata_status",
    "metadata_error",
    "match_score",
    "metadata_refreshed_at",
    "metadata_retry_at",
    "nfo_fields",
    "locked_fields",
)


@admin.register(Movie)
class MovieAdmin(SelectorAdmin):
    selector = selectors.movies_visible_to
    list_display = ("title", "year", "edition", "library", "certification", "added_at")
    list_filter = ("library", "genres")
    search_fields = ("title", "original_title", "imdb_id", "tmdb_id")
    list_select_related = ("library",)
    inlines = [MovieFileInline]
    # Plain multiple selects: the admin's two-box widget puts aria-labels on spans, which axe counts as serious.
    readonly_fields = ("match_key", "age_rating", *METADATA_STATE, "added_at", "updated_at")


class SeasonInline(ReadOnlyInline):
    model = Season
    fields = ("season_number", "title")
    readonly_fields = fields


@admin.register(Show)
class ShowAdmin(SelectorAdmin):
    selector = selectors.shows_visible_to
    list_display = ("title", "year", "library", "added_at")
    list_filter = ("library",)
    search_fields = ("title", "original_title", "tvdb_id", "tmdb_id")
    list_select_related = ("library",)
    inlines = [SeasonInline]
    readonly_fields = ("match_key", "age_rating", *METADATA_STATE, "added_at", "updated_at")


class EpisodeFileInline(MovieFileInline):
    fields = ("path", "container", "duration", "size", "probe_status")
    readonly_fields = fields


@admin.register(Episode)
class EpisodeAdmin(SelectorAdmin):
    selector = selectors.episodes_visible_to
    list_display = ("__str__", "title", "air_date", "added_at")
    list_filter = ("show__library",)
    search_fields = ("title", "show__title")
    list_select_related = ("show", "season")
    inlines = [EpisodeFileInline]
    readonly_fields = ("match_key", "show", "season", "nfo_fields", "locked_fields", "added_at", "updated_at")


@admin.register(MediaFile)
class MediaFileAdmin(SelectorAdmin):
    selector = selectors.files_visible_to
    list_display = ("path", "library", "container", "duration", "size", "probe_status", "last_scanned_at")
    list_filter = ("library", "probe_status", "container")
    search_fields = ("path",)
    list_select_related = ("library",)
    inlines = [StreamInline, SubtitleInline]
    readonly_fields = [f.name for f in MediaFile._meta.fields]


class LabelAdmin(ServiceWrites, admin.ModelAdmin):
    """Genres and studios: renamed, added or removed through the edits service (cached titles follow)."""

    search_fields = ("name",)

    def service_save(self, obj, *, by) -> None:
        edits.label_save(label=obj, by=by)

    def service_delete(self, obj, *, by) -> None:
        edits.label_delete(label=obj, by=by)


admin.site.register(Genre, LabelAdmin)
admin.site.register(Studio, LabelAdmin)
