"""Playback in the admin: sessions as the watch history, and each user's progress; both read-only."""

from django.contrib import admin

from apps.playback.models import PlaybackSession, WatchState
from apps.playback.selectors import sessions_visible_to
from apps.playback.watch_selectors import watch_states_visible_to


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by playback itself: operators look, they do not edit."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlaybackSession)
class PlaybackSessionAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "user", "title", "method", "state", "device", "client", "stopped_at", "bytes_sent")
    list_filter = ("state", "method", ("started_at", admin.DateFieldListFilter))
    search_fields = ("title", "user__username", "device", "ip")
    date_hierarchy = "started_at"
    list_select_related = ("user",)
    exclude = ("token",)  # the stream URLs' secret: not for display

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "token"]

    def get_queryset(self, request):
        return sessions_visible_to(request.user)


@admin.register(WatchState)
class WatchStateAdmin(ReadOnlyAdmin):
    list_display = ("user", "item", "position", "duration", "watched", "play_count", "last_played_at")
    list_filter = ("watched",)
    search_fields = ("user__username", "movie__title", "episode__title", "episode__show__title")
    list_select_related = ("user", "movie", "episode__show", "episode__season")
    raw_id_fields = ("movie", "episode")

    def get_queryset(self, request):
        return watch_states_visible_to(request.user)

    @admin.display(description="movie or episode")
    def item(self, state: WatchState) -> str:
        return str(state.movie or state.episode)
