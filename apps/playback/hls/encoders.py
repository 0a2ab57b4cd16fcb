"""The H.264 encoder a transcode uses: the hardware one REVENGE_HWACCEL names when it opens, else libx264."""

from __future__ import annotations

import dataclasses
import logging
from fractions import Fraction
from functools import cache

import av

from apps.playback.hls.writer import HlsPlan

logger = logging.getLogger(__name__)

HARDWARE = {"nvenc": "h264_nvenc", "qsv": "h264_qsv", "vaapi": "h264_vaapi"}
SOFTWARE = "libx264"


@cache
def encoder_opens(name: str) -> str:
    """'' when the encoder opens here (a small test encode), else why not; tried once per process."""
    try:
        context = av.CodecContext.create(name, "w")
        context.width, context.height, context.pix_fmt = 256, 144, "yuv420p"
        context.time_base = Fraction(1, 25)
        context.open()
    except Exception as exc:  # no device, no driver, not in this build: each raises its own kind
        return f"{type(exc).__name__}: {exc}"
    return ""


def usable_plan(plan: HlsPlan, *, hwaccel: str) -> tuple[HlsPlan, str]:
    """The plan with the encoder to use, and a note when the hardware one was asked for and did not open."""
    if not plan.transcode_video or hwaccel == "none":
        return plan, ""
    name = HARDWARE[hwaccel]
    problem = encoder_opens(name)
    if not problem:
        return dataclasses.replace(plan, encoder=name), f"hardware encoder {name}"
    logger.warning("REVENGE_HWACCEL=%s: %s does not open (%s); transcoding with %s", hwaccel, name, problem, SOFTWARE)
    return dataclasses.replace(plan, encoder=SOFTWARE), f"{name} did not open ({problem}); fell back to {SOFTWARE}"
