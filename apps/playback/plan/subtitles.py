"""The subtitle verdict: whether the chosen subtitle is drawn into the picture."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.media.models import MediaFile
from apps.playback.subtitles.text import burnable_tracks


def subtitle_burned(media_file: MediaFile, *, subtitle: str, burn: bool) -> bool:
    """The subtitle must be the file's own; bitmap ones (PGS, VobSub) are always burned, HLS cannot carry them."""
    if not subtitle:
        if burn:
            raise ValidationError({"subtitle": "name the subtitle to burn into the picture"})
        return False
    tracks = burnable_tracks(media_file)
    if subtitle not in tracks:
        raise ValidationError({"subtitle": f"the file has no subtitle {subtitle!r}"})
    return burn or tracks[subtitle].bitmap
