"""HDR to SDR for clients that cannot show HDR: the transfer curve undone, a tone curve, and BT.709 again.

PyAV's ffmpeg has no zscale here, so the linear-light step is a per-channel look-up table (lutrgb) built
from the curves below, between two swscale conversions (BT.2020 matrix in, BT.709 matrix and the target
size out). The primaries are not converted, so colours stay slightly richer than a full BT.2020→709 map.
"""

from __future__ import annotations

import itertools

import av
from av.video.frame import VideoFrame

# Values in ffmpeg's expression language (lutrgb): `val` is the code value, `maxval` its maximum.
# PQ (SMPTE ST 2084) to nits / 100, so 1.0 is SDR reference white.
_PQ_TO_LINEAR = (
    "st(0,pow(val/maxval,1/78.84375));"
    "st(1,pow(max(ld(0)-0.8359375,0)/(18.8515625-18.6875*ld(0)),1/0.1593017578125)*100);"
)
# HLG (ARIB STD-B67) inverse OETF, scene light scaled so a 1,000-nit display peak is 10.
_HLG_TO_LINEAR = (
    "st(0,val/maxval);st(1,if(lte(ld(0),0.5),ld(0)*ld(0)/3,(exp((ld(0)-0.55991073)/0.17883277)+0.28466892)/12)*10);"
)
# Extended Reinhard with white at 10x reference (1,000 nits), then the BT.709/BT.1886 display gamma.
_TONE_AND_GAMMA = "st(2,ld(1)*(1+ld(1)/100)/(1+ld(1)));maxval*pow(min(ld(2),1),1/2.4)"
CURVES = {"pq": _PQ_TO_LINEAR + _TONE_AND_GAMMA, "hlg": _HLG_TO_LINEAR + _TONE_AND_GAMMA}


class ToneMapper:
    """Frames in, SDR frames of the output size out; the filter graph is built on the first frame."""

    def __init__(self, *, curve: str, width: int, height: int, pix_fmt: str = "yuv420p") -> None:
        if curve not in CURVES:
            raise ValueError(f"unknown transfer curve {curve!r}")
        self.curve, self.width, self.height, self.pix_fmt = curve, width, height, pix_fmt
        self.graph: av.filter.Graph | None = None

    def _build(self, frame: VideoFrame) -> None:
        graph = av.filter.Graph()
        chain = [
            graph.add_buffer(width=frame.width, height=frame.height, format=frame.format, time_base=frame.time_base),
            graph.add("scale", "in_color_matrix=bt2020:in_range=tv"),
            graph.add("format", "gbrp16le"),
            graph.add("lutrgb", r=CURVES[self.curve], g=CURVES[self.curve], b=CURVES[self.curve]),
            graph.add("scale", f"w={self.width}:h={self.height}:out_color_matrix=bt709:out_range=tv"),
            graph.add("format", self.pix_fmt),
            graph.add("buffersink"),
        ]
        for upstream, downstream in itertools.pairwise(chain):
            upstream.link_to(downstream)
        graph.configure()
        self.graph = graph

    def __call__(self, frame: VideoFrame) -> VideoFrame:
        if self.graph is None:
            self._build(frame)
        self.graph.push(frame)
        return self.graph.pull()
