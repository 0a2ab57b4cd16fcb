"""The player: a page per movie or episode that the browser plays through the playback API (decision, session,
heartbeats), and the WebVTT of a file's text subtitle for direct play (HLS carries its own renditions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.media.languages import language_name
from apps.media.models import Episode, MediaFile, MediaStream
from apps.media.selectors import episodes_visible_to, files_streamable_to, movies_visible_to
from apps.playback.preference_selectors import tracks_preferred
from apps.playback.subtitles.text import SubtitleUnavailable, burnable_tracks, text_tracks, webvtt
from apps.playback.watch_selectors import watch_states_in_progress

# Ids past PostgreSQL's integer are no row of ours; asking would fail the query, not find nothing.
MAX_ID = 2**31 - 1


def _playable_file(*, user, files: QuerySet[MediaFile]) -> MediaFile | None:
    """The main feature's first part the user may stream (extras and later parts are not the title)."""
    streamable = files_streamable_to(user=user).filter(pk__in=files.values("pk"), extra_type="")
    return streamable.select_related("library").prefetch_related("streams", "subtitles").order_by("part", "pk").first()


@login_required
@require_GET
def watch_movie(request: HttpRequest, movie_id: int) -> HttpResponse:
    movie = movies_visible_to(user=request.user).filter(pk=movie_id).first() if movie_id <= MAX_ID else None
    media_file = _playable_file(user=request.user, files=movie.files.all()) if movie else None
    if media_file is None:
        raise Http404("No such movie to play.")
    title = f"{movie.title} ({movie.year})" if movie.year else movie.title
    resume = watch_states_in_progress(user=request.user).filter(movie=movie)
    return _player(request, media_file=media_file, title=title, heading=title, resume=resume, next_episode=None)


@login_required
@require_GET
def watch_episode(request: HttpRequest, episode_id: int) -> HttpResponse:
    visible = episodes_visible_to(user=request.user).select_related("show", "season")
    episode = visible.filter(pk=episode_id).first() if episode_id <= MAX_ID else None
    media_file = _playable_file(user=request.user, files=episode.files.all()) if episode else None
    if media_file is None:
        raise Http404("No such episode to play.")
    code = f"S{episode.season.season_number:02d}E{episode.episode_number or 0:02d}"
    heading = f"{episode.show.title} · {code}" + (f" · {episode.title}" if episode.title else "")
    resume = watch_states_in_progress(user=request.user).filter(episode=episode)
    next_episode = _episode_after(user=request.user, episode=episode)
    return _player(
        request, media_file=media_file, title=heading, heading=heading, resume=resume, next_episode=next_episode
    )


def _episode_after(*, user, episode: Episode) -> Episode | None:
    """The visible, playable episode after this one in the show's order; none after a special."""
    if episode.season.season_number == 0:
        return None
    order = ("season__season_number", "episode_number", "air_date", "pk")
    ids = list(
        episodes_visible_to(user=user)
        .filter(show_id=episode.show_id)
        .exclude(season__season_number=0)
        .order_by(*order)
        .values_list("pk", flat=True)
    )
    later = ids[ids.index(episode.pk) + 1 :] if episode.pk in ids else []
    streamable = set(
        files_streamable_to(user=user).filter(episode_id__in=later[:20]).values_list("episode_id", flat=True)
    )
    following = next((pk for pk in later[:20] if pk in streamable), None)
    return Episode.objects.select_related("show", "season").get(pk=following) if following else None


def _player(request, *, media_file: MediaFile, title: str, heading: str, resume, next_episode) -> HttpResponse:
    position = resume.values_list("position", flat=True).first()
    audio, subtitles = _audio_tracks(media_file), _subtitle_tracks(media_file)
    config = {
        "file": media_file.pk,
        "title": heading,
        "duration": media_file.duration,
        "height": next((s.height for s in media_file.streams.all() if s.type == MediaStream.Type.VIDEO), None),
        "resume": position,
        "back": request.GET.get("back") if _local(request.GET.get("back")) else reverse("web:home"),
        "next": _next_config(next_episode),
        "audio": audio,
        "subtitles": subtitles,
        # The viewer's audio and subtitle defaults (Me → Languages and subtitles) applied to this file's tracks.
        "choices": tracks_preferred(user=request.user, audio=audio, subtitles=subtitles),
        "api": {
            "decision": reverse("playback-decision"),
            "sessions": reverse("playback-session-list"),
        },
    }
    return render(request, "web/watch.html", {"title": title, "heading": heading, "player_config": config})


def _local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url and len(url) < 500


def _next_config(episode: Episode | None) -> dict | None:
    if episode is None:
        return None
    code = f"S{episode.season.season_number:02d}E{episode.episode_number or 0:02d}"
    name = f"{episode.show.title} · {code}" + (f" · {episode.title}" if episode.title else "")
    return {"url": reverse("web:watch-episode", args=[episode.pk]), "title": name}


def _audio_tracks(media_file: MediaFile) -> list[dict]:
    tracks = []
    for stream in media_file.streams.all():
        if stream.type != MediaStream.Type.AUDIO:
            continue
        language = language_name(stream.language) or stream.language
        parts = [stream.title or language or f"Track {len(tracks) + 1}", (stream.codec or "").upper()]
        if stream.channels:
            parts.append({1: "mono", 2: "stereo", 6: "5.1", 8: "7.1"}.get(stream.channels, f"{stream.channels} ch"))
        label = " · ".join(p for p in parts if p)
        tracks.append({"index": stream.index, "label": label, "language": stream.language, "default": stream.default})
    return tracks


def _subtitle_tracks(media_file: MediaFile) -> list[dict]:
    """Text tracks (shown by the browser: WebVTT) and bitmap ones (burned into the picture: a new session)."""
    text = text_tracks(media_file)
    tracks = [
        {
            "key": track.key,
            "label": track.name,
            "language": track.language,
            "burn": False,
            "src": reverse("web:watch-subtitle", args=[media_file.pk, track.key]),
        }
        for track in text
    ]
    texts = {track.key for track in text}
    for key, burn in burnable_tracks(media_file).items():
        if key not in texts and burn.bitmap:
            label, language = _bitmap_label(media_file, key)
            tracks.append({"key": key, "label": f"{label} (burned in)", "language": language, "burn": True, "src": ""})
    return tracks


def _bitmap_label(media_file: MediaFile, key: str) -> tuple[str, str]:
    """A bitmap subtitle's name in the menu, and its language code."""
    if key.startswith("e"):
        track = next((s for s in media_file.streams.all() if f"e{s.index}" == key), None)
    else:
        track = next((s for s in media_file.subtitles.all() if f"s{s.pk}" == key), None)
    if track is None:
        return "Subtitle", ""
    return track.title or language_name(track.language) or track.language or "Subtitle", track.language


@login_required
@require_GET
def watch_subtitle(request: HttpRequest, file_id: int, key: str) -> HttpResponse:
    """A text subtitle of a file the user may stream, as WebVTT (direct play has no HLS rendition to carry it)."""
    media_file = None
    if file_id <= MAX_ID:
        media_file = files_streamable_to(user=request.user).filter(pk=file_id).select_related("library").first()
    track = next((t for t in text_tracks(media_file) if t.key == key), None) if media_file else None
    if track is None:
        raise Http404("No such subtitle.")
    try:
        text = webvtt(track)
    except SubtitleUnavailable as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(text, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
