"""HLS for players: master and media playlists, segments and WebVTT, opened by the session's token in the URL.

Players (a TV's, Safari's, ffmpeg) fetch these URLs without our headers or cookies, so the credential is the
session's unguessable token; a stopped session answers 410 with why, an unknown token or a file the user may
no longer see 404.
"""

from __future__ import annotations

import math

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status

from apps.accounts import ip_rules
from apps.accounts.authentication import IPRefused
from apps.core.api.permissions import ActionPermissions, TokenInUrl
from apps.core.api.viewsets import BaseAPIView
from apps.media.languages import language_name, language_tag
from apps.playback import services
from apps.playback.hls import playlists, serving, transcoding
from apps.playback.models import PlaybackSession
from apps.playback.plan.stored import plan_audio_track
from apps.playback.subtitles.text import SubtitleUnavailable, text_tracks, webvtt

PLAYLIST_TYPE = "application/vnd.apple.mpegurl"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "session_ended"


class HlsView(BaseAPIView):
    # Anyone holding the session's token (it is in the URL, 256 random bits); `session()` checks it.
    action_permissions = ActionPermissions({"get": TokenInUrl(), "options": TokenInUrl()})
    authentication_classes: list = []  # the token is the credential; no cookies, so no CSRF either
    # A player fetches a segment every few seconds, a remux far faster; the token bounds who can ask at all.
    throttle_classes: list = []

    def session(self, token: str) -> PlaybackSession:
        try:
            session = serving.session_for_token(token)
        except serving.SessionGone as exc:
            raise Gone(str(exc)) from exc
        if session is None or session.method == PlaybackSession.Method.DIRECT:
            raise exceptions.NotFound("No such playback session.")
        # The token stands for its user: "staff only from" holds for them as for a signed-in request.
        kind = ip_rules.refusal(self.request._request, user=session.user)
        if kind is not None:
            ip_rules.refusal_record(self.request._request, kind)
            raise IPRefused()
        return session


def _start_from(request, session: PlaybackSession) -> float:
    """Where the player starts (`?from=` seconds, after a far seek), else where the session started."""
    raw = request.query_params.get("from")
    if raw is None:
        return session.start_position or 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0 or len(raw) > 20:
        raise exceptions.ValidationError({"from": "a position in seconds, 0 or more"})
    return seconds


def _playlist(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type=PLAYLIST_TYPE)
    response["Cache-Control"] = "no-store"
    return response


class MasterPlaylistView(HlsView):
    @extend_schema(responses={(200, PLAYLIST_TYPE): OpenApiTypes.STR})
    def get(self, request, token: str):
        session = self.session(token)
        media_file = session.media_file
        audio = plan_audio_track(session)
        rendition = None
        if audio is not None:
            name = audio.title or language_name(audio.language) or "Audio"
            rendition = playlists.Rendition("", name, language_tag(audio.language))
        subtitles = [
            playlists.Rendition(t.key, t.name, t.language, default=t.key == session.subtitle, forced=t.forced)
            for t in text_tracks(media_file)
        ]
        start = _start_from(request, session)
        if "from" in request.query_params:
            # A far seek: the transcode starts again there now, two round trips before the first part is asked
            # for, in the variant players start with (the first listed); the media playlist corrects another.
            serving.transcode_toward(session=session, variant=serving.variants(session)[0].name, seconds=start)
        text = playlists.playlist_master(
            variants=serving.variants(session),
            video_codec=session.video_codec,
            audio=rendition,
            audio_codec=session.audio_codec,
            subtitles=subtitles,
            query=f"?from={start:.3f}" if "from" in request.query_params else "",
        )
        services.session_seen(session=session)
        return _playlist(text)


class MediaPlaylistView(HlsView):
    @extend_schema(responses={(200, PLAYLIST_TYPE): OpenApiTypes.STR})
    def get(self, request, token: str, variant: str):
        session = self.session(token)
        if variant not in serving.variants_of(session):
            raise exceptions.NotFound(f"This stream has no {variant} variant.")
        services.session_seen(session=session)
        if session.method == PlaybackSession.Method.TRANSCODE:
            duration, start = session.duration or 0, _start_from(request, session)
            if "from" in request.query_params:
                serving.transcode_toward(session=session, variant=variant, seconds=start)
            split = transcoding.split_segment(transcoding.segment_at(start), duration)
            return _playlist(playlists.playlist_transcode(duration, split=split))
        try:
            text = serving.playlist_remux_wait(session=session)
        except serving.SessionGone as exc:
            raise Gone(str(exc)) from exc
        except serving.SegmentUnavailable as exc:
            return _unavailable(str(exc))
        return _playlist(playlists.playlist_remux_for_players(text))


class SegmentView(HlsView):
    @extend_schema(responses={(200, "video/mp2t"): OpenApiTypes.BINARY})
    def get(self, request, token: str, variant: str, number: int, part: int | None = None):
        session = self.session(token)
        try:
            path = serving.segment_wait(session=session, variant=variant, number=number, part=part)
            handle = path.open("rb")
        except serving.SessionGone as exc:
            raise Gone(str(exc)) from exc
        except serving.SegmentUnavailable as exc:
            return _unavailable(str(exc))
        except FileNotFoundError:
            return _unavailable("the segment was replaced while being read; ask again")
        services.session_seen(session=session, sent=path.stat().st_size)
        response = FileResponse(handle, content_type="video/mp2t")
        response["Cache-Control"] = "private, max-age=3600"
        return response


def _unavailable(reason: str) -> HttpResponse:
    # 503 with Retry-After: players ask again for a segment that is not written yet.
    response = HttpResponse(reason, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "2"
    return response


class SubtitlePlaylistView(HlsView):
    @extend_schema(responses={(200, PLAYLIST_TYPE): OpenApiTypes.STR})
    def get(self, request, token: str, key: str):
        session = self.session(token)
        if key not in {t.key for t in text_tracks(session.media_file)}:
            raise exceptions.NotFound("No such subtitle track.")
        return _playlist(playlists.playlist_subtitle(key=key, duration=session.duration or 1))


class SubtitleView(HlsView):
    @extend_schema(responses={(200, "text/vtt"): OpenApiTypes.STR})
    def get(self, request, token: str, key: str):
        session = self.session(token)
        track = next((t for t in text_tracks(session.media_file) if t.key == key), None)
        if track is None:
            raise exceptions.NotFound("No such subtitle track.")
        try:
            text = webvtt(track)
        except SubtitleUnavailable as exc:
            raise exceptions.NotFound(str(exc)) from exc
        return HttpResponse(text, content_type="text/vtt; charset=utf-8")
