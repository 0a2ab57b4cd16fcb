"""HLS output with PyAV: a file transcoded to H.264 + AAC, or remuxed, into ~6 s MPEG-TS segments.

ffmpeg's own `hls` muxer (through PyAV) cuts the segments at keyframes and rewrites the playlist as
each one appears; for transcodes the encoder puts a keyframe exactly every `segment_seconds`, so
segment N always starts at N x segment_seconds and a seek far ahead can restart there.
"""

from __future__ import annotations

import logging
import math
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from av.video.frame import PictureType

from apps.playback.hls.tonemap import ToneMapper
from apps.playback.subtitles.burnin import Burner
from apps.playback.subtitles.text import BurnIn
from revenge.config import private_folder

logger = logging.getLogger(__name__)

PLAYLIST = "index.m3u8"
SEGMENT_PATTERN = "segment_%05d.ts"
AUDIO_RATE = 48_000
BT709 = 1  # AVCOL_PRI_BT709, AVCOL_TRC_BT709 and AVCOL_SPC_BT709 share the value
EPSILON = 0.001  # seconds: a frame this close to a segment's start belongs to it, in a first run and a restart


class TranscodeStopped(Exception):
    """The session asked the transcode to stop (idle, terminated, or restarted elsewhere)."""


@dataclass(frozen=True)
class HlsPlan:
    """What to produce: copy the streams (remux) or encode them (height and bit rates for the video)."""

    transcode_video: bool = True
    height: int | None = None  # None keeps the source's
    video_bitrate: int = 2_800_000
    transcode_audio: bool = True
    audio_channels: int = 2
    audio_stream: int | None = None  # the sound's stream index in the file; None: its first audio stream
    audio_bitrate: int = 192_000
    segment_seconds: int = 6
    encoder: str = "libx264"
    # The first segments of a transcode can be shorter, so a player has its first picture sooner.
    lead_segments: int = 0
    lead_seconds: int = 2
    tone_map: str = ""  # "pq" or "hlg": the source's HDR transfer, mapped to SDR (apps/playback/hls/tonemap.py)
    burn: BurnIn | None = None  # a subtitle track drawn into the picture (apps/playback/subtitles/burnin.py)
    # A restart's first segment written also as `parts` short files (segment_N_P.ts), each part_seconds long; a
    # restart at a far seek begins at the part holding the target (`split_part`), so it encodes only from there.
    split_segment: int | None = None
    split_part: int = 0
    parts: int = 3
    part_seconds: int = 2

    def segment_start(self, number: int) -> float:
        """Where segment `number` starts on the grid (the same for a first run and any restart)."""
        lead = min(number, self.lead_segments)
        return float(lead * self.lead_seconds + (number - lead) * self.segment_seconds)

    def run_start(self, number: int) -> float:
        """Where a run (re)started at segment `number` begins: its first part when that segment is split."""
        if not self.transcode_video:
            return float(number * self.segment_seconds)
        split = self.split_segment is not None and self.split_segment == number
        return self.segment_start(number) + (self.split_part * self.part_seconds if split else 0)

    @property
    def cut_seconds(self) -> float:
        """The muxer's target: it cuts at every keyframe at least this far into a file. A transcode's keyframes are
        all ours, on the grid, so it cuts at each: half the shortest file, as a first frame may come a little late
        (23.976 fps) and the next keyframe then less than a whole part after it."""
        if not self.transcode_video:
            return self.segment_seconds
        return min(self.lead_seconds if self.lead_segments else self.segment_seconds, self.part_seconds) / 2


def _even(value: float) -> int:
    return max(2, math.ceil(value / 2) * 2)


def _output_size(stream: av.VideoStream, height: int | None) -> tuple[int, int]:
    src_w, src_h = stream.codec_context.width, stream.codec_context.height
    if not height or height >= src_h:
        return _even(src_w), _even(src_h)
    return _even(src_w * height / src_h), _even(height)


def hls_write(
    *,
    source: str | Path,
    out_dir: str | Path,
    plan: HlsPlan,
    start_segment: int = 0,
    should_stop: Callable[[], bool] = lambda: False,
) -> Path:
    """Write the playlist and segments for `source` into `out_dir`, from segment `start_segment` on."""
    out_dir = private_folder(Path(out_dir))  # segments are the film itself: only the server's user reads them
    # A transcode's runs overlap for a moment (the one a seek replaced is still stopping): each writes its muxer
    # playlist and its split run's files under names of its own, so neither renames or publishes the other's files
    # (an old run's unfinished file was published as a new run's part). The playlist takes its shared name at the end.
    run = secrets.token_hex(4) if plan.transcode_video else ""
    playlist = out_dir / (f"index_{run}.m3u8" if run else PLAYLIST)
    try:
        published = _write(source, out_dir, playlist, run, plan, start_segment, should_stop)
    except BaseException:
        for leftover in [*out_dir.glob(f"run_{run}_*"), *out_dir.glob(f"{playlist.name}*")] if run else []:
            leftover.unlink(missing_ok=True)
        raise
    if published is not None:
        playlist.write_text(published.playlist_text(playlist.read_text()))
        os.replace(playlist, out_dir / PLAYLIST)
    return out_dir / PLAYLIST


def _write(
    source, out_dir: Path, playlist: Path, run: str, plan: HlsPlan, start_segment: int, should_stop
) -> _Publisher | None:
    start_seconds = plan.run_start(start_segment)
    split = plan.transcode_video and plan.split_segment is not None and plan.split_segment == start_segment
    # A transcode's files take their names on the grid only once finished: a run that is stopped closes the file it
    # was writing, and that file, cut short, must not be served as the segment (or part) it was going to be.
    pattern = f"run_{run}_%05d.ts"
    parts = (plan.parts, plan.split_part) if split else (0, 0)
    publish = _Publisher(out_dir, pattern, start_segment, *parts) if run else None
    with av.open(str(source)) as src:
        in_video = next((s for s in src.streams.video), None)
        in_audio = _audio_stream(src, plan.audio_stream)
        options = {
            "hls_time": str(plan.cut_seconds),
            "hls_list_size": "0",
            "hls_playlist_type": "event",
            "hls_segment_type": "mpegts",
            "hls_segment_filename": str(out_dir / (pattern if run else SEGMENT_PATTERN)),
            "start_number": str(0 if run else start_segment),
            "hls_flags": "independent_segments+temp_file",
        }
        with av.open(str(playlist), "w", format="hls", options=options) as out:
            if in_video is not None and plan.transcode_video:
                in_video.thread_type = "AUTO"  # frame and slice threads, as the ffmpeg CLI decodes
            video_out = _add_video(out, in_video, plan) if in_video is not None else None
            audio_out, resampler = _add_audio(out, in_audio, plan) if in_audio is not None else (None, None)
            out.start_encoding()  # writes the header now, so the output time bases are final from the first packet
            if start_seconds:
                # av.time_base is the integer AV_TIME_BASE (ticks per second): seconds are multiplied by it. Lands on
                # the keyframe at or before the start, so only that keyframe's interval is decoded and dropped.
                src.seek(int(start_seconds * av.time_base), backward=True, any_frame=False)
            # Audio samples counted from the start position, so a restarted transcode stays in sync.
            clock = {"next": round(start_seconds * AUDIO_RATE), "start": round(start_seconds * AUDIO_RATE)}
            wanted = [s for s in (in_video, in_audio) if s is not None]
            grid = _frame_grid(in_video) if in_video is not None and not plan.transcode_video else None
            keys = _Keyframes(plan, start_segment, split=split)
            if video_out is not None and plan.transcode_video and plan.burn is not None:
                context = in_video.codec_context
                keys.burner = Burner.for_track(plan.burn, width=context.width, height=context.height)
            if video_out is not None and plan.transcode_video and plan.tone_map:
                keys.tone_mapper = ToneMapper(
                    curve=plan.tone_map, width=video_out.width, height=video_out.height, pix_fmt=video_out.pix_fmt
                )
            for packet in src.demux(wanted):
                if should_stop():
                    raise TranscodeStopped(str(source))
                if packet.stream is in_video:
                    _video_packet(out, packet, video_out, plan, start_seconds, grid, keys)
                elif packet.stream is in_audio:
                    _audio_packet(out, packet, audio_out, resampler, plan, start_seconds, clock)
                if publish is not None:
                    publish()
            _flush(out, video_out, plan.transcode_video)
            if audio_out is not None and plan.transcode_audio:
                _audio_frames(out, audio_out, resampler.resample(None), clock)
                out.mux(_from_start(audio_out.encode(None), clock))
    if publish is not None:
        publish()  # the last segment is closed with the output
    return publish


class _Publisher:
    """Gives a transcode run's files their names on the grid as the muxer finishes each: segment_N.ts on from the
    segment it began at; a split run's first files are instead the parts segment_N_P.ts from part `first` on (from
    part 0, joined also into segment_N.ts, for playlists without the parts), then segment_N+1.ts on."""

    def __init__(self, out_dir: Path, pattern: str, segment: int, parts: int, first: int = 0) -> None:
        self.out_dir, self.pattern, self.segment, self.parts, self.first = out_dir, pattern, segment, parts, first
        self.next = 0

    def __call__(self) -> None:
        while (finished := self.out_dir / (self.pattern % self.next)).exists():
            finished.rename(self.out_dir / self.name_of(self.next))
            if self.first + self.next == self.parts - 1 and self.first == 0:
                self._join()
            self.next += 1

    def name_of(self, index: int) -> str:
        """The grid name of the run's file number `index`."""
        part = self.first + index
        if part < self.parts:
            return f"segment_{self.segment:05d}_{part}.ts"
        return SEGMENT_PATTERN % (self.segment + part - self.parts + (1 if self.parts else 0))

    def playlist_text(self, text: str) -> str:
        """The muxer's playlist naming the files as published, numbered from the segment the run began at."""
        run_file = re.compile(re.escape(self.pattern).replace("%05d", r"(\d{5})"))
        text = text.replace("#EXT-X-MEDIA-SEQUENCE:0\n", f"#EXT-X-MEDIA-SEQUENCE:{self.segment}\n", 1)
        return run_file.sub(lambda match: self.name_of(int(match.group(1))), text)

    def _join(self) -> None:
        # MPEG-TS files of one muxer run follow each other: joined, they are the whole segment.
        whole = self.out_dir / (SEGMENT_PATTERN % self.segment)
        partial = whole.with_suffix(".ts.tmp")
        with partial.open("wb") as joined:
            for part in range(self.parts):
                joined.write((self.out_dir / f"segment_{self.segment:05d}_{part}.ts").read_bytes())
        partial.rename(whole)


def _audio_stream(src: av.container.InputContainer, index: int | None) -> av.AudioStream | None:
    """The planned sound; a file that lost it since the scan fails the transcode with why, not plays mute."""
    if index is None:
        return next(iter(src.streams.audio), None)
    found = next((s for s in src.streams.audio if s.index == index), None)
    if found is None:
        raise ValueError(f"the file has no audio stream {index} any more; scan it again")
    return found


def _add_video(out: av.container.OutputContainer, stream: av.VideoStream, plan: HlsPlan):
    if not plan.transcode_video:
        return out.add_stream_from_template(stream)
    rate = stream.average_rate or stream.guessed_rate or Fraction(25)
    encoder = out.add_stream(plan.encoder, rate=rate)
    encoder.width, encoder.height = _output_size(stream, plan.height)
    encoder.pix_fmt = "nv12" if plan.encoder == "h264_qsv" else "yuv420p"
    encoder.bit_rate = plan.video_bitrate
    encoder.time_base = Fraction(1, 90_000)
    if plan.tone_map:
        # Say what the pictures now are, so players do not treat them as the source's HDR.
        context = encoder.codec_context
        context.color_primaries, context.color_trc, context.colorspace = BT709, BT709, BT709
    # Keyframes exactly on the grid and nowhere else, so segment N always starts at plan.segment_start(N):
    # each is asked for frame by frame (_Keyframes); the encoder's own are pushed past any segment.
    gop = max(1, round(float(rate) * plan.segment_seconds * 4))
    encoder.codec_context.gop_size = gop
    # PyAV opens encoders with slice threads only; frame threads (as the ffmpeg CLI uses) keep both cores busy.
    encoder.codec_context.thread_type = "AUTO"
    # No B-frames: decode order is then display order, so segments written by two runs (a seek restarted the
    # transcode) follow each other with rising timestamps, as strict players require.
    encoder.codec_context.max_b_frames = 0
    options = {"forced-idr": "1"}
    if plan.encoder == "libx264":
        options.update(
            {
                "preset": "veryfast",
                "x264-params": f"keyint={gop}:scenecut=0:bframes=0",
                "maxrate": str(plan.video_bitrate),
                "bufsize": str(plan.video_bitrate * 2),
            }
        )
    encoder.codec_context.options = options
    return encoder


def _add_audio(out: av.container.OutputContainer, stream: av.AudioStream, plan: HlsPlan):
    if not plan.transcode_audio:
        return out.add_stream_from_template(stream), None
    layout = "stereo" if plan.audio_channels == 2 else ("mono" if plan.audio_channels == 1 else "5.1")
    encoder = out.add_stream("aac", rate=AUDIO_RATE, layout=layout)
    encoder.bit_rate = plan.audio_bitrate
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=AUDIO_RATE, frame_size=1024)
    return encoder, resampler


def _frame_grid(stream: av.VideoStream) -> Fraction | None:
    """Seconds per frame when a constant-rate stream's timestamps are rounded (Matroska's milliseconds)."""
    rate = stream.average_rate
    if not rate or stream.time_base is None or stream.time_base.denominator > 1000:
        return None
    return 1 / Fraction(rate)


def _snap(packet: av.Packet, frame_seconds: Fraction, target: Fraction) -> None:
    # Millisecond timestamps of a 24 fps stream jitter by a millisecond; on the 90 kHz clock of MPEG-TS
    # players round them back into frames and can see two at the same instant. Put them on the frame grid.
    base = packet.time_base
    snapped = {}
    for name in ("pts", "dts"):
        value = getattr(packet, name)
        if value is not None:
            snapped[name] = round(round(value * base / frame_seconds) * frame_seconds / target)
    packet.time_base = target
    for name, value in snapped.items():
        setattr(packet, name, value)
    packet.duration = round(frame_seconds / target)


class _Keyframes:
    """Says which decoded frames open a segment: the first at or after each segment's start on the grid."""

    def __init__(self, plan: HlsPlan, start_segment: int, *, split: bool = False) -> None:
        self.plan, self.next = plan, start_segment
        start = plan.run_start(start_segment)
        # A split run's first segment also opens at each of its parts' starts (from the part it began at).
        self.parts = [start + p * plan.part_seconds for p in range(1, plan.parts - plan.split_part)] if split else []
        self.tone_mapper: ToneMapper | None = None
        self.burner: Burner | None = None

    def opens_segment(self, seconds: float) -> bool:
        due = [t for t in self.parts if seconds >= t - EPSILON]
        self.parts = self.parts[len(due) :]
        if seconds < self.plan.segment_start(self.next) - EPSILON:
            return bool(due)
        while seconds >= self.plan.segment_start(self.next + 1) - EPSILON:
            self.next += 1  # frames missing across a whole segment: one keyframe opens the next that has any
        self.next += 1
        return True


def _video_packet(
    out, packet, video_out, plan: HlsPlan, start_seconds: float, grid: Fraction | None, keys: _Keyframes
) -> None:
    if not plan.transcode_video:
        if packet.size == 0:
            return  # the demuxer's end-of-stream marker, for decoders
        if packet.pts is not None and packet.pts * packet.time_base < start_seconds - 0.001 and not packet.is_keyframe:
            return
        if grid is not None:
            _snap(packet, grid, video_out.time_base)
        packet.stream = video_out
        out.mux(packet)
        return
    for frame in packet.decode():
        if frame.time is not None and frame.time < start_seconds - EPSILON:
            continue  # decoded from the keyframe before the seek target: not part of the output
        seconds = frame.time or 0
        if keys.burner is not None:
            frame = keys.burner(frame)
        if keys.tone_mapper is not None:
            picture = keys.tone_mapper(frame)
        else:
            picture = frame.reformat(width=video_out.width, height=video_out.height, format=video_out.pix_fmt)
        picture.pts = round(seconds * 90_000)
        picture.time_base = Fraction(1, 90_000)
        # The source's own keyframes must not become ours: ours fall exactly on the segment grid.
        picture.pict_type = PictureType.I if keys.opens_segment(seconds) else PictureType.NONE
        out.mux(video_out.encode(picture))


def _audio_packet(out, packet, audio_out, resampler, plan: HlsPlan, start_seconds: float, clock: dict) -> None:
    if not plan.transcode_audio:
        if packet.size == 0 or packet.dts is None:
            return
        packet.stream = audio_out
        out.mux(packet)
        return
    for frame in packet.decode():
        if frame.time is not None and frame.time < start_seconds:
            continue
        frame.pts = None
        _audio_frames(out, audio_out, resampler.resample(frame), clock)


def _audio_frames(out, audio_out, frames, clock: dict) -> None:
    for chunk in frames:
        chunk.pts, chunk.time_base = clock["next"], Fraction(1, AUDIO_RATE)
        clock["next"] += chunk.samples
        out.mux(_from_start(audio_out.encode(chunk), clock))


def _from_start(packets: list[av.Packet], clock: dict) -> list[av.Packet]:
    """The AAC encoder's first packet (its priming) is stamped a frame before the run's start. Left in, it overlaps
    the sound of the segment before, written by another run (a seek restarted the transcode), so a strict player
    sees time go back; and a run from 0 starts at -21 ms, so the muxer shifted all its timestamps by that much while
    a restart's stayed put. Dropped, every run's sound starts at its start and segments of any runs follow on."""
    return [packet for packet in packets if packet.pts is None or packet.pts >= clock["start"]]


def _flush(out, video_out, transcoded: bool) -> None:
    if video_out is not None and transcoded:
        out.mux(video_out.encode(None))
