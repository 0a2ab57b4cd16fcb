"""Read container and stream information from media files with PyAV (headers only, no full decode)."""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import av
import av.error
from django.conf import settings

DEFAULT_PROBESIZE = 5_000_000
DEFAULT_ANALYZE_MS = 5_000
DEFAULT_TIMEOUT = 30.0

# At most this many packets are demuxed after the headers to look for HDR10+/Dolby Vision markers.
HDR_SCAN_PACKETS = 32
# A file whose first this many packets hold no audio or video data has none to play.
MEDIA_DATA_PACKETS = 500

# FFmpeg enum values (ITU-T H.273 code points) -> the names ffprobe prints. PyAV 18 returns these as bare ints
# and does not wrap av_color_*_name(), so the tables live here.
COLOR_RANGES = {1: "tv", 2: "pc"}
COLOR_PRIMARIES = {
    1: "bt709",
    4: "bt470m",
    5: "bt470bg",
    6: "smpte170m",
    7: "smpte240m",
    8: "film",
    9: "bt2020",
    10: "smpte428",
    11: "smpte431",
    12: "smpte432",
    22: "ebu3213",
}
COLOR_TRANSFERS = {
    1: "bt709",
    4: "bt470m",
    5: "bt470bg",
    6: "smpte170m",
    7: "smpte240m",
    8: "linear",
    9: "log100",
    10: "log316",
    11: "iec61966-2-4",
    12: "bt1361e",
    13: "iec61966-2-1",
    14: "bt2020-10",
    15: "bt2020-12",
    16: "smpte2084",
    17: "smpte428",
    18: "arib-std-b67",
}
COLOR_SPACES = {
    0: "gbr",
    1: "bt709",
    4: "fcc",
    5: "bt470bg",
    6: "smpte170m",
    7: "smpte240m",
    8: "ycgco",
    9: "bt2020nc",
    10: "bt2020c",
    11: "smpte2085",
    12: "chroma-derived-nc",
    13: "chroma-derived-c",
    14: "ictcp",
    15: "ipt-c2",
}

DOLBY_VISION_TAGS = frozenset({"dvh1", "dvhe", "dav1", "dva1", "dvav", "dvc1"})
# ITU-T T.35 prefixes: US country code, then provider code and provider-oriented code.
HDR10_PLUS_T35 = b"\xb5\x00\x3c\x00\x01\x04"  # Samsung, SMPTE ST 2094-40 application 4
DOLBY_VISION_T35 = b"\xb5\x00\x3b\x00\x00\x08\x00"  # Dolby RPU in AV1 metadata OBUs
HEVC_NAL_SEI_PREFIX = 39
HEVC_NAL_DOVI_RPU = 62
ANNEX_B_START = re.compile(b"\x00\x00\x01")

# User-facing container names for ffmpeg demuxers whose name covers several formats.
CONTAINERS_BY_EXTENSION = {
    "matroska,webm": {".webm": "webm", ".mka": "mka"},
    "mov,mp4,m4a,3gp,3g2,mj2": {".mov": "mov", ".qt": "mov", ".m4a": "m4a", ".3gp": "3gp", ".3g2": "3g2"},
}
CONTAINER_DEFAULTS = {"matroska,webm": "mkv", "mov,mp4,m4a,3gp,3g2,mj2": "mp4"}

# Suffixes that promise a multiplexed container; FFmpeg's content sniffing finds "raw" elementary streams in
# random or foreign bytes with a low score (random data often probes as h263 or mp3), so for these suffixes a
# raw-stream demuxer means the file is not media at all. Mislabelled containers (an AVI named .mkv) still pass.
# fmt: off
CONTAINER_SUFFIXES = frozenset({
    ".mkv", ".mk3d", ".mka", ".webm", ".mp4", ".m4v", ".m4a", ".mov", ".qt", ".avi", ".divx", ".ts", ".m2ts",
    ".mts", ".vob", ".ogv", ".ogm", ".ogg", ".flv", ".wmv", ".wma", ".asf", ".3gp", ".3g2", ".rm", ".rmvb", ".mxf",
    ".nut", ".wtv",
})
RAW_FORMATS = frozenset({
    # elementary video and audio streams
    "h261", "h263", "h264", "hevc", "vvc", "mpegvideo", "m4v", "cavsvideo", "dirac", "vc1", "avs2", "avs3", "mjpeg",
    "mp3", "aac", "ac3", "eac3", "dts", "truehd", "mlp", "loas", "flac", "g723_1", "g729", "gsm", "adp", "mpeg4bin",
    "data", "bin", "tty", "image2", "image2pipe",
    # stand-alone subtitle and lyrics files
    "lrc", "srt", "ass", "webvtt", "subviewer", "subviewer1", "microdvd", "mpl2", "mpsub", "pjs", "realtext", "sami",
    "stl", "vplayer", "jacosub", "aqtitle", "sup", "scc", "tedcaptions",
})
# fmt: on

# The demuxer a suffix promises, named up front: FFmpeg then skips sniffing the first bytes with every demuxer it
# has, a fifth of opening a small file. Content the named demuxer cannot read (an AVI named .mkv) is opened again
# with sniffing, so results and reasons stay those of an open without the name.
# Full demuxer names, as FFmpeg reports them: a short alias ("matroska") would be reported back as given.
MATROSKA, MOV = "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2"
DEMUXER_BY_SUFFIX = {".mkv": MATROSKA, ".mk3d": MATROSKA, ".webm": MATROSKA, ".mp4": MOV, ".m4v": MOV, ".mov": MOV}

ATTACHMENT_CODECS = {
    "application/x-truetype-font": "ttf",
    "application/x-font-ttf": "ttf",
    "font/ttf": "ttf",
    "application/vnd.ms-opentype": "otf",
    "font/otf": "otf",
    "application/x-font-opentype": "otf",
}


class ProbeError(Exception):
    """Carries a short human reason (str(exc)), e.g. 'not a regular file' or 'invalid data: ...'."""


class ProbeTimeoutError(ProbeError):
    """The read took longer than the timeout."""


@dataclass(slots=True)
class StreamInfo:
    index: int
    type: str
    codec: str
    profile: str = ""
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    pixel_format: str = ""
    bit_depth: int | None = None
    color_space: str = ""
    color_primaries: str = ""
    color_transfer: str = ""
    color_range: str = ""
    hdr: str = ""
    channels: int | None = None
    channel_layout: str = ""
    sample_rate: int | None = None
    language: str = ""
    title: str = ""
    default: bool = False
    forced: bool = False
    bitrate: int | None = None


@dataclass(slots=True)
class ProbeResult:
    container: str
    duration: float | None
    bitrate: int | None
    streams: list[StreamInfo] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain JSON-ready dict."""
        return dataclasses.asdict(self)


def _setting(name: str, default: float) -> float:
    # probe.py must work in scripts without Django configured.
    if settings.configured:
        return getattr(settings, name, default)
    return default


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
        return "file not found"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    if isinstance(exc, NotADirectoryError):
        return "file not found (a parent is not a directory)"
    if isinstance(exc, IsADirectoryError):
        return "not a regular file (directory)"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return f"cannot read file: {exc.strerror or exc}"


def _error_reason(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, av.error.ExitError):
        # The interrupt callback fired: PyAV's timeout, not a real exit request.
        return f"timed out after {timeout:g} s"
    if isinstance(exc, av.error.InvalidDataError):
        return f"invalid data: {exc.strerror or exc}"
    if isinstance(exc, av.error.FFmpegError) and (isinstance(exc, EOFError) or exc.errno == errno.EIO):
        # The file passed stat() as a regular file, so an I/O error inside the demuxer means it ended early.
        return "invalid data: unexpected end of file (truncated?)"
    if isinstance(exc, OSError):
        return _os_reason(exc)
    if isinstance(exc, UnicodeError):
        return "cannot encode or decode the file name"
    if isinstance(exc, av.error.FFmpegError):
        return f"cannot read media: {exc.strerror or exc}"
    return f"cannot read media: {exc}"


def _container_name(format_name: str, path: str) -> str:
    suffix = Path(path).suffix.lower()
    if format_name in CONTAINERS_BY_EXTENSION:
        return CONTAINERS_BY_EXTENSION[format_name].get(suffix, CONTAINER_DEFAULTS[format_name])
    return format_name.split(",")[0]


def _int_or_none(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _stream_bitrate(stream: av.stream.Stream) -> int | None:
    context = stream.codec_context
    if context is not None and context.bit_rate:
        return int(context.bit_rate)
    # mkvmerge writes per-track statistics tags instead of a codec bit rate.
    for key in ("BPS", "BPS-eng"):
        if key in stream.metadata:
            return _int_or_none(stream.metadata[key])
    return None


def _frame_rate(stream: av.video.stream.VideoStream) -> float | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate:
            return round(float(rate), 3)
    return None


def _bit_depth(pix_fmt: str) -> int | None:
    try:
        components = av.VideoFormat(pix_fmt).components
    except (ValueError, av.error.FFmpegError):
        return None
    return components[0].bits if components else None


def _codec_name(stream: av.stream.Stream) -> str:
    if stream.codec_context is not None:
        # canonical_name is the codec id name ffprobe shows ("subrip"), not the decoder's ("srt", "libdav1d").
        return stream.codec_context.codec.canonical_name
    if isinstance(stream, av.stream.DataStream):
        return stream.name or ""
    if isinstance(stream, av.stream.AttachmentStream):
        return ATTACHMENT_CODECS.get((stream.mimetype or "").lower(), "")
    return ""


def _codec_tag(stream: av.stream.Stream) -> str:
    if stream.codec_context is None:
        return ""
    try:
        return stream.codec_context.codec_tag.strip("\x00 ").lower()
    except (UnicodeDecodeError, ValueError):
        return ""


def _hevc_nal_units(data: bytes, length_size: int) -> list[tuple[int, bytes]]:
    """Split an HEVC packet into (nal_type, nal_bytes), whether Annex B (MPEG-TS) or length-prefixed (MP4/MKV)."""
    units = []
    if data.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")):
        starts = [m.end() for m in ANNEX_B_START.finditer(data)]
        for begin, end in zip(starts, [*starts[1:], len(data)], strict=True):
            if begin < len(data):
                units.append(((data[begin] >> 1) & 0x3F, data[begin:end]))
        return units
    pos = 0
    while pos + length_size < len(data):
        size = int.from_bytes(data[pos : pos + length_size], "big")
        pos += length_size
        if size <= 0 or pos + size > len(data):
            break
        units.append(((data[pos] >> 1) & 0x3F, data[pos : pos + size]))
        pos += size
    return units


def _packet_dynamic_hdr(packet: av.Packet, codec: str, length_size: int) -> set[str]:
    found = set()
    if packet.has_sidedata("dovi_conf"):
        found.add("DV")
    if packet.has_sidedata("dynamic_hdr10_plus"):
        found.add("HDR10+")
    data = bytes(packet)
    if codec == "hevc":
        for nal_type, nal in _hevc_nal_units(data, length_size):
            if nal_type == HEVC_NAL_DOVI_RPU:
                found.add("DV")
            elif nal_type == HEVC_NAL_SEI_PREFIX and HDR10_PLUS_T35 in nal:
                found.add("HDR10+")
    elif codec == "av1":
        # AV1 carries both as ITU-T T.35 metadata OBUs, which need no emulation-prevention unescaping.
        if HDR10_PLUS_T35 in data:
            found.add("HDR10+")
        if DOLBY_VISION_T35 in data:
            found.add("DV")
    return found


def _first_packets(
    container: av.container.InputContainer, media: set[int], *, hdr_scan: bool = True
) -> list[av.Packet]:
    """The first HDR_SCAN_PACKETS packets, read on (up to MEDIA_DATA_PACKETS) until one of the `media` streams
    has data; damaged packets end the reading early. Without `hdr_scan` (no stream needs its packets looked at)
    the reading ends at the first packet with media data, which is all the caller needs then."""
    packets: list[av.Packet] = []
    try:
        for count, packet in enumerate(container.demux()):
            if not hdr_scan:
                if packet.size and packet.stream_index in media:
                    packets.append(packet)
                    break
                if count >= MEDIA_DATA_PACKETS:
                    break
            elif count < HDR_SCAN_PACKETS:
                packets.append(packet)
            elif count >= MEDIA_DATA_PACKETS or _has_media_data(packets, media):
                break
            elif packet.size and packet.stream_index in media:
                packets.append(packet)
                break
    except av.error.ExitError:
        raise  # the timeout: reported as such, not as missing data
    except (av.error.FFmpegError, OSError, ValueError):
        pass  # what was read before the damage still counts
    return packets


def _has_media_data(packets: list[av.Packet], media: set[int]) -> bool:
    return any(packet.size and packet.stream_index in media for packet in packets)


def _scan_dynamic_hdr(packets: list[av.Packet], streams: dict[int, av.stream.Stream]) -> dict[int, set]:
    """Look at the first packet of each given video stream for HDR10+ and Dolby Vision markers.

    PyAV 18 does not expose AVStream.codecpar.coded_side_data, where FFmpeg puts the Dolby Vision configuration
    record (mp4 dvcC/dvvC, mkv BlockAdditionMapping), nor frame side data without decoding. So DV and HDR10+ are
    found in packet side data and in the bitstream itself: HEVC NAL type 62 (DV RPU) and prefix SEI or AV1
    metadata OBUs carrying ITU-T T.35 HDR10+ / Dolby payloads. The packets come from the demuxer's probe buffer.
    """
    found: dict[int, set] = {index: set() for index in streams}
    pending = set(streams)
    for packet in packets[:HDR_SCAN_PACKETS]:
        index = packet.stream_index
        if not pending:
            break
        if index not in pending or not packet.size:
            continue
        pending.discard(index)
        stream = streams[index]
        codec = stream.codec_context.codec.canonical_name
        extradata = stream.codec_context.extradata or b""
        # hvcC stores lengthSizeMinusOne in the low bits of byte 21.
        length_size = (extradata[21] & 0x03) + 1 if len(extradata) > 22 and extradata[0] == 1 else 4
        found[index] |= _packet_dynamic_hdr(packet, codec, length_size)
    return found


def _hdr_kind(info: StreamInfo, codec_tag: str, dynamic: set[str]) -> str:
    if "DV" in dynamic or codec_tag in DOLBY_VISION_TAGS:
        return "DV"
    if info.color_transfer == "smpte2084":
        return "HDR10+" if "HDR10+" in dynamic else "HDR10"
    if info.color_transfer == "arib-std-b67":
        return "HLG"
    return "SDR"


def _stream_info(stream: av.stream.Stream) -> StreamInfo:
    disposition = stream.disposition
    stream_type = stream.type if stream.type in ("video", "audio", "subtitle", "attachment") else "data"
    if stream_type == "video" and disposition & av.stream.Disposition.attached_pic:
        # Embedded cover art is demuxed as a one-frame video stream; it is not the programme's video.
        stream_type = "attachment"
    language = (stream.metadata.get("language") or "").strip()
    info = StreamInfo(
        index=stream.index,
        type=stream_type,
        codec=_codec_name(stream),
        profile=(stream.profile or "") if stream.codec_context is not None else "",
        language="" if language.lower() == "und" else language,
        title=(stream.metadata.get("title") or "").strip(),
        default=bool(disposition & av.stream.Disposition.default),
        forced=bool(disposition & av.stream.Disposition.forced),
        bitrate=_stream_bitrate(stream),
    )
    context = stream.codec_context
    if context is None:
        return info
    if stream.type == "video":
        info.width = context.width or None
        info.height = context.height or None
        info.frame_rate = _frame_rate(stream)
        info.pixel_format = context.pix_fmt or ""
        info.bit_depth = _bit_depth(info.pixel_format) if info.pixel_format else None
        info.color_space = COLOR_SPACES.get(context.colorspace, "")
        info.color_primaries = COLOR_PRIMARIES.get(context.color_primaries, "")
        info.color_transfer = COLOR_TRANSFERS.get(context.color_trc, "")
        info.color_range = COLOR_RANGES.get(context.color_range, "")
    elif stream.type == "audio":
        info.channels = context.channels or None
        info.channel_layout = context.layout.name if info.channels else ""
        info.sample_rate = context.sample_rate or None
    return info


def _needs_scan(stream: av.stream.Stream, info: StreamInfo) -> bool:
    # DV profile 5 signals an unspecified transfer; SDR-tagged streams cannot carry HDR10+ or DV.
    return (
        info.type == "video"
        and info.codec in ("hevc", "av1")
        and info.color_transfer in ("smpte2084", "arib-std-b67", "")
        and _codec_tag(stream) not in DOLBY_VISION_TAGS
    )


def _duration(container: av.container.InputContainer) -> float | None:
    if container.duration is not None and container.duration > 0:
        return round(container.duration / av.time_base, 3)
    durations = [
        float(stream.duration * stream.time_base)
        for stream in container.streams
        if stream.duration and stream.time_base
    ]
    return round(max(durations), 3) if durations else None


def _read(container: av.container.InputContainer, path: str, size: int) -> ProbeResult:
    format_name = container.format.name
    if Path(path).suffix.lower() in CONTAINER_SUFFIXES and (
        format_name in RAW_FORMATS or format_name.endswith("_pipe")
    ):
        raise ProbeError(f"invalid data: not a media container (content looks like raw {format_name})")
    streams = list(container.streams)
    if not streams:
        raise ProbeError("invalid data: no streams found (truncated?)")
    infos = [_stream_info(stream) for stream in streams]
    if not any(info.type in ("video", "audio") for info in infos):
        raise ProbeError("no audio or video streams")
    # A film is its picture: a sliver of sound before the cut does not make a truncated download playable.
    main_kind = "video" if any(info.type == "video" for info in infos) else "audio"
    media = {info.index for info in infos if info.type == main_kind}
    to_scan = {s.index: s for s, info in zip(streams, infos, strict=True) if _needs_scan(s, info)}
    # Demuxing was a fifth of a probe: read past the first media packet only when HDR markers are looked for.
    packets = _first_packets(container, media, hdr_scan=bool(to_scan))
    if not _has_media_data(packets, media):
        # A header and nothing after it (a download cut short): nothing could ever be played.
        raise ProbeError(f"no media data: the file ends before its first {main_kind} packet (truncated?)")
    dynamic = _scan_dynamic_hdr(packets, to_scan) if to_scan else {}
    for stream, info in zip(streams, infos, strict=True):
        if info.type == "video":
            info.hdr = _hdr_kind(info, _codec_tag(stream), dynamic.get(stream.index, set()))
    duration = _duration(container)
    bitrate = _int_or_none(container.bit_rate)
    if bitrate is None and duration:
        bitrate = int(size * 8 / duration)
    return ProbeResult(
        container=_container_name(format_name, path),
        duration=duration,
        bitrate=bitrate,
        streams=infos,
    )


def file_probe(
    path: str | bytes | os.PathLike,
    *,
    probesize: int | None = None,
    analyze_duration_ms: int | None = None,
    timeout: float | None = None,
) -> ProbeResult:
    """Probe one file's container and streams; raises ProbeError with a short reason on any failure."""
    try:
        # Bytes and surrogate-escaped str names both round-trip to the original bytes via os.fsencode in PyAV.
        name = os.fsdecode(os.fspath(path))
    except (TypeError, UnicodeError) as exc:
        raise ProbeError("invalid file name") from exc
    probesize = int(probesize or _setting("PROBE_SIZE", DEFAULT_PROBESIZE))
    analyze_ms = int(
        analyze_duration_ms if analyze_duration_ms is not None else _setting("PROBE_ANALYZE_MS", DEFAULT_ANALYZE_MS)
    )
    timeout = float(timeout or _setting("PROBE_TIMEOUT", DEFAULT_TIMEOUT))

    # stat, never open, first: opening a FIFO blocks until a writer appears, and devices may have side effects.
    try:
        info = os.stat(name)
    except (OSError, ValueError) as exc:
        raise ProbeError(_os_reason(exc) if isinstance(exc, OSError) else "invalid file name") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = "directory" if stat.S_ISDIR(info.st_mode) else "fifo" if stat.S_ISFIFO(info.st_mode) else "special file"
        raise ProbeError(f"not a regular file ({kind})")
    if info.st_size == 0:
        raise ProbeError("empty file")

    # container_options reach only the demuxer; `options` would also be handed to every decoder opened by
    # avformat_find_stream_info, which does not know these keys.
    options = {"probesize": str(max(probesize, 32)), "analyzeduration": str(max(analyze_ms, 0) * 1000)}
    demuxer = DEMUXER_BY_SUFFIX.get(os.path.splitext(name)[1].lower())
    if demuxer is not None:
        try:
            return _open_and_read(name, info.st_size, options, timeout, demuxer)
        except ProbeTimeoutError:
            raise  # a second open would only wait as long again
        except ProbeError:
            pass
    return _open_and_read(name, info.st_size, options, timeout, None)


def _open_and_read(name: str, size: int, options: dict, timeout: float, demuxer: str | None) -> ProbeResult:
    """One open of the file, with this demuxer or (None) the one FFmpeg finds by sniffing its first bytes."""
    try:
        # The timeout is checked by FFmpeg's interrupt callback between I/O calls; it cannot break a single
        # read() stuck in the kernel (e.g. a dead NFS mount).
        with av.open(
            name, "r", format=demuxer, container_options=options, metadata_errors="replace", timeout=timeout
        ) as container:
            return _read(container, name, size)
    except ProbeError:
        raise
    except av.error.ExitError as exc:
        raise ProbeTimeoutError(_error_reason(exc, timeout)) from exc
    except (av.error.FFmpegError, OSError, ValueError, UnicodeError, RuntimeError, EOFError) as exc:
        raise ProbeError(_error_reason(exc, timeout)) from exc
