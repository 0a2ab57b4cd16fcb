"""The test kit's film-like clips: keyframes where films have them, sound and pictures interleaved, full length."""

from __future__ import annotations

import shutil
import subprocess

import av
import pytest

from apps.core.testing.media import make_film

FFMPEG = shutil.which("ffmpeg")


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_a_film_has_a_keyframe_every_few_seconds_and_interleaved_packets(tmp_path, suffix):
    path = make_film(tmp_path / f"film{suffix}", width=96, height=64, seconds=30, fps=24, keyframe_seconds=4)

    with av.open(str(path)) as film:
        assert abs(film.duration / av.time_base - 30) < 0.1
        order = [(p.stream.type, float(p.pts * p.time_base), p.is_keyframe) for p in film.demux() if p.size]
    keyframes = [at for kind, at, key in order if kind == "video" and key]
    assert [round(at, 2) for at in keyframes] == [0, 4, 8, 12, 16, 20, 24, 28]
    assert sum(kind == "video" for kind, _, _ in order) == 30 * 24
    # As real muxers write: read in file order, sound and pictures never drift a second apart.
    latest = {"video": 0.0, "audio": 0.0}
    for kind, at, _ in order:
        latest[kind] = max(latest[kind], at)
        assert abs(latest["video"] - latest["audio"]) < 1.0, f"{kind} at {at}"


@pytest.mark.skipif(not FFMPEG, reason="Debian's ffmpeg is the reference client")
def test_a_film_decodes_cleanly_and_a_loop_must_hold_whole_keyframe_intervals(tmp_path):
    path = make_film(tmp_path / "film.mp4", width=96, height=64, seconds=20, fps=25, keyframe_seconds=2)
    result = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    with pytest.raises(ValueError, match="whole keyframe intervals"):
        make_film(tmp_path / "bad.mp4", seconds=10, keyframe_seconds=3, loop_seconds=8)
