"""Playback in the admin: sessions as the watch history (managers end live ones), and each user's progress."""

from django.contrib import admin, messages

from apps.playback import services
from apps.playback.hls.transcoding import segment_durations
from apps.playback.models import PlaybackSession, WatchState
from apps.playback.selectors import MANAGE_SESSIONS, may_terminate, sessions_visible_to
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
    list_display = (
        "started_at",
        "user",
        "title",
        "method",
        "state",
        "transcode_progress",
        "device",
        "client",
        "stopped_at",
        "bytes_sent",
    )
    list_filter = ("state", "method", ("started_at", admin.DateFieldListFilter))
    search_fields = ("title", "user__username", "device", "ip")
    date_hierarchy = "started_at"
    list_select_related = ("user",)
    exclude = ("token",)  # the stream URLs' secret: not for display

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "token"]

    actions = ["terminate"]

    def get_queryset(self, request):
        return sessions_visible_to(user=request.user)

    @admin.display(description="transcode")
    def transcode_progress(self, session: PlaybackSession) -> str:
        if session.method == PlaybackSession.Method.DIRECT:
            return "—"
        if session.transcode_state == PlaybackSession.TranscodeState.DONE:
            return "done"
        total = len(segment_durations(session.duration or 0))
        written = session.transcode_start_segment + session.transcode_segments
        return f"{session.get_transcode_state_display().lower()} {min(100, round(100 * written / total))} %"

    def has_terminate_permission(self, request) -> bool:
        return request.user.has_perm(MANAGE_SESSIONS)

    @admin.action(description="End the selected streams", permissions=["terminate"])
    def terminate(self, request, queryset) -> None:
        ended = 0
        for session in queryset.exclude(state=PlaybackSession.State.STOPPED):
            if may_terminate(user=request.user, session=session):
                services.session_terminate(
                    session=session, by=request.user, message="Your stream was ended by an admin."
                )
                ended += 1
        self.message_user(request, f"{ended} stream(s) ended.", messages.SUCCESS if ended else messages.WARNING)


@admin.register(WatchState)
class WatchStateAdmin(ReadOnlyAdmin):
    list_display = ("user", "item", "position", "duration", "watched", "play_count", "last_played_at")
    list_filter = ("watched",)
    search_fields = ("user__username", "movie__title", "episode__title", "episode__show__title")
    list_select_related = ("user", "movie", "episode__show", "episode__season")
    raw_id_fields = ("movie", "episode")

    def get_queryset(self, request):
        return watch_states_visible_to(user=request.user)

    @admin.display(description="movie or episode")
    def item(self, state: WatchState) -> str:
        return str(state.movie or state.episode)
