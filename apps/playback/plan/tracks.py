"""Which of the file's streams are played: the one rule for the picture and the sound, applied once per plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.media.models import MediaStream


def track_video(streams: list[MediaStream]) -> MediaStream | None:
    return next((s for s in streams if s.type == MediaStream.Type.VIDEO), None)


def track_audio(streams: list[MediaStream], *, index: int | None) -> MediaStream | None:
    """The stream asked for (it must be one of the file's), else the file's default, else its first."""
    audios = sorted((s for s in streams if s.type == MediaStream.Type.AUDIO), key=lambda s: s.index)
    if index is not None:
        chosen = next((s for s in audios if s.index == index), None)
        if chosen is None:
            raise ValidationError({"audio_stream": f"the file has no audio stream {index}"})
        return chosen
    return next((s for s in audios if s.default), None) or next(iter(audios), None)
