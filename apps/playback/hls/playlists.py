"""HLS playlists of a session: the master (variant, audio rendition, WebVTT renditions) and media playlists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from apps.playback.hls.transcoding import PART_SECONDS, PARTS, SEGMENT_SECONDS, segment_durations

# RFC 6381 names players need to pick a variant before fetching it.
VIDEO_CODEC_TAGS = {"h264": "avc1.640028", "hevc": "hvc1.1.6.L120.90", "mpeg4": "mp4v.20.9"}
AUDIO_CODEC_TAGS = {"aac": "mp4a.40.2", "mp3": "mp4a.40.34", "ac3": "ac-3", "eac3": "ec-3", "mp2": "mp4a.40.34"}


@dataclass(frozen=True)
class Rendition:
    """An audio or subtitle track as the master playlist lists it."""

    key: str  # subtitle URL key; empty for the audio carried in the variant itself
    name: str
    language: str = ""
    default: bool = False
    forced: bool = False


def _quoted(value: str) -> str:
    # Attribute values are quoted strings: a quote or a line break from a file's metadata must not end them.
    return '"' + re.sub(r'["\r\n]', "'", value)[:200] + '"'


def playlist_master(
    *,
    variants: list,
    video_codec: str,
    audio: Rendition | None,
    audio_codec: str,
    subtitles: list[Rendition],
    query: str = "",
) -> str:
    """The variants (name, bandwidth, resolution; the session's first), the audio carried in each as a
    rendition, and WebVTT renditions; `query` goes on to the variants' playlists."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if audio is not None:
        lines.append(
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME={},{}DEFAULT=YES,AUTOSELECT=YES'.format(
                _quoted(audio.name), f"LANGUAGE={_quoted(audio.language)}," if audio.language else ""
            )
        )
    for track in subtitles:
        lines.append(
            '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME={},{}DEFAULT={},AUTOSELECT=YES,FORCED={},URI={}'.format(
                _quoted(track.name),
                f"LANGUAGE={_quoted(track.language)}," if track.language else "",
                "YES" if track.default else "NO",
                "YES" if track.forced else "NO",
                _quoted(f"subtitles/{track.key}.m3u8"),
            )
        )
    codecs = [c for c in (VIDEO_CODEC_TAGS.get(video_codec), AUDIO_CODEC_TAGS.get(audio_codec)) if c]
    for variant in variants:
        attributes = [f"BANDWIDTH={max(1, variant.bandwidth)}"]
        if variant.resolution:
            attributes.append(f"RESOLUTION={variant.resolution[0]}x{variant.resolution[1]}")
        if codecs:
            attributes.append(f'CODECS="{",".join(codecs)}"')
        if audio is not None:
            attributes.append('AUDIO="audio"')
        if subtitles:
            attributes.append('SUBTITLES="subs"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attributes), f"{variant.name}/index.m3u8{query}"]
    return "\n".join([*lines, ""])


def playlist_transcode(duration: float, *, split: int | None = None) -> str:
    """The whole grid up front (a VOD playlist): any segment may be asked for; a far one restarts the transcode.
    Segment `split` is listed as its short parts: the playlist of a player starting (or seeking) there."""
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:6",
        f"#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for number, seconds in enumerate(segment_durations(duration)):
        if number == split:
            for part in range(PARTS):
                lines += [f"#EXTINF:{PART_SECONDS:.6f},", f"segment_{number:05d}_{part}.ts"]
            continue
        lines += [f"#EXTINF:{seconds:.6f},", f"segment_{number:05d}.ts"]
    lines += ["#EXT-X-ENDLIST", ""]
    return "\n".join(lines)


def playlist_remux_for_players(muxer_playlist: str) -> str:
    """A remux follows the source's keyframes, so its playlist grows as the muxer writes it; until it ends,
    players are told to start at the beginning rather than at the live edge."""
    if "#EXT-X-ENDLIST" in muxer_playlist:
        return muxer_playlist.replace("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:VOD")
    return muxer_playlist.replace(
        "#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-START:TIME-OFFSET=0,PRECISE=YES"
    )


def playlist_subtitle(*, key: str, duration: float) -> str:
    """A WebVTT rendition: one segment, the whole track."""
    seconds = max(1, int(duration + 0.999))
    return "\n".join(
        [
            "#EXTM3U",
            "#EXT-X-VERSION:6",
            f"#EXT-X-TARGETDURATION:{seconds}",
            "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            f"#EXTINF:{duration:.6f},",
            f"{key}.vtt",
            "#EXT-X-ENDLIST",
            "",
        ]
    )
