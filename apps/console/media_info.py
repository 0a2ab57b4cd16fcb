"""Streams as operators read them: "HEVC Main 10 HDR10", "5.1 E-AC-3 English", "English (forced) · SRT".

Pure functions over the probed rows; anything the probe did not record is left out, never guessed.
"""

from __future__ import annotations

from apps.console import humanize
from apps.media.languages import language_name
from apps.media.models import MediaFile, MediaStream, Subtitle

CODEC_NAMES = {
    "hevc": "HEVC",
    "h264": "H.264",
    "av1": "AV1",
    "vp9": "VP9",
    "vp8": "VP8",
    "mpeg4": "MPEG-4",
    "mpeg2video": "MPEG-2",
    "vc1": "VC-1",
    "eac3": "E-AC-3",
    "ac3": "AC-3",
    "aac": "AAC",
    "dts": "DTS",
    "truehd": "TrueHD",
    "flac": "FLAC",
    "opus": "Opus",
    "mp3": "MP3",
    "mp2": "MP2",
    "vorbis": "Vorbis",
    "alac": "ALAC",
    "subrip": "SubRip",
    "ass": "ASS",
    "ssa": "SSA",
    "mov_text": "MP4 text",
    "webvtt": "WebVTT",
    "hdmv_pgs_subtitle": "PGS",
    "dvd_subtitle": "VobSub",
}
CHANNELS = {1: "Mono", 2: "Stereo", 3: "2.1", 6: "5.1", 7: "6.1", 8: "7.1"}


def codec_name(codec: str) -> str:
    if codec.startswith("pcm_"):
        return "PCM"
    return CODEC_NAMES.get(codec, codec.upper())


def _language(code: str) -> str:
    return language_name(code) if code else ""


def video_label(stream: MediaStream) -> str:
    """HEVC Main 10 HDR10; the profile only when the probe named one, HDR only when it is not SDR."""
    parts = [codec_name(stream.codec), stream.profile]
    if stream.hdr and stream.hdr != MediaStream.Hdr.SDR:
        parts.append(stream.hdr)
    return " ".join(part for part in parts if part)


def picture_label(stream: MediaStream) -> str:
    """Frame size and rate: 1920x1080 · 23.976 fps"""
    parts = []
    if stream.width and stream.height:
        parts.append(f"{stream.width}x{stream.height}")
    if stream.frame_rate:
        parts.append(f"{stream.frame_rate:.3f}".rstrip("0").rstrip(".") + " fps")
    return " · ".join(parts)


def audio_label(stream: MediaStream) -> str:
    """5.1 E-AC-3 English"""
    channels = CHANNELS.get(stream.channels, f"{stream.channels} ch") if stream.channels else ""
    return " ".join(part for part in (channels, codec_name(stream.codec), _language(stream.language)) if part)


def _flags(*, forced: bool, sdh: bool = False, default: bool = False) -> str:
    flags = [name for name, on in (("default", default), ("forced", forced), ("SDH", sdh)) if on]
    return f" ({', '.join(flags)})" if flags else ""


def subtitle_stream_label(stream: MediaStream) -> str:
    """English (forced) · SubRip — a subtitle inside the file."""
    language = _language(stream.language) or "Unknown language"
    return f"{language}{_flags(forced=stream.forced, default=stream.default)} · {codec_name(stream.codec)}"


def subtitle_file_label(subtitle: Subtitle) -> str:
    """English (SDH) · SRT — a subtitle file beside the media."""
    language = _language(subtitle.language) or "Unknown language"
    flags = _flags(forced=subtitle.forced, sdh=subtitle.sdh, default=subtitle.default)
    return f"{language}{flags} · {subtitle.format.upper()}"


def stream_row(stream: MediaStream) -> dict:
    """One stream of the file's table: its kind, its label, and the details beside it."""
    if stream.type == MediaStream.Type.VIDEO:
        label, detail = video_label(stream), picture_label(stream)
    elif stream.type == MediaStream.Type.AUDIO:
        label = audio_label(stream)
        detail = f"{stream.sample_rate / 1000:g} kHz" if stream.sample_rate else ""
    elif stream.type == MediaStream.Type.SUBTITLE:
        label, detail = subtitle_stream_label(stream), ""
    else:
        label, detail = codec_name(stream.codec), ""
    rate = humanize.bitrate(stream.bitrate) if stream.bitrate else ""
    return {
        "index": stream.index,
        "type": stream.type,
        "label": label,
        "detail": " · ".join(part for part in (detail, rate) if part),
        "title": stream.title,
        "default": stream.default,
    }


def file_info(media_file: MediaFile) -> dict:
    """A file as its panel shows it: name, humanized numbers, its summary labels and every stream."""
    streams = list(media_file.streams.all())  # prefetched by files_with_details
    videos = [s for s in streams if s.type == MediaStream.Type.VIDEO]
    audios = [s for s in streams if s.type == MediaStream.Type.AUDIO]
    subtitles = [subtitle_stream_label(s) for s in streams if s.type == MediaStream.Type.SUBTITLE]
    subtitles += [subtitle_file_label(s) for s in media_file.subtitles.all()]
    return {
        "file": media_file,
        "name": media_file.path.rsplit("/", 1)[-1],
        "duration": humanize.duration(media_file.duration),
        "size": humanize.filesize(media_file.size),
        "bitrate": humanize.bitrate(media_file.bitrate),
        "container": media_file.container.upper() if media_file.container else "",
        "video": video_label(videos[0]) if videos else "",
        "picture": picture_label(videos[0]) if videos else "",
        "audio": [audio_label(s) for s in audios],
        "subtitles": subtitles,
        "streams": [stream_row(s) for s in streams],
        "playable": media_file.probe_status == MediaFile.ProbeStatus.OK,
    }
