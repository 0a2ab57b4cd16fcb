"""Playback on /metrics: live sessions and transcodes read from the database at scrape time, and the
worker-side counters of transcoding speed."""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from apps.core import metrics
from apps.playback.models import PlaybackSession

LIVE = (PlaybackSession.State.PLAYING, PlaybackSession.State.PAUSED)
TRANSCODING = (PlaybackSession.TranscodeState.QUEUED, PlaybackSession.TranscodeState.RUNNING)

# rate(media seconds) / rate(wall seconds) is the speed of transcoding as a multiple of real time (1: just in time).
transcode_media_seconds = metrics.counter(
    "transcode_media_seconds_total", "Seconds of media written by transcodes and remuxes, by method.", ["method"]
)
transcode_wall_seconds = metrics.counter(
    "transcode_wall_seconds_total", "Seconds transcodes and remuxes spent writing, by method.", ["method"]
)


class PlaybackCollector:
    """revenge_playback_sessions{method,state} and revenge_transcodes{state}: bounded by the choices."""

    def collect(self):
        try:
            sessions = list(
                PlaybackSession.objects.filter(state__in=LIVE).values("method", "state").annotate(n=Count("pk"))
            )
            transcodes = list(
                PlaybackSession.objects.filter(state__in=LIVE, transcode_state__in=TRANSCODING)
                .values("transcode_state")
                .annotate(n=Count("pk"))
            )
        except DatabaseError:
            return  # /readyz reports the database; /metrics still answers
        live = GaugeMetricFamily(
            "revenge_playback_sessions", "Live playback sessions, by method and state.", labels=["method", "state"]
        )
        found = {(row["method"], row["state"]): row["n"] for row in sessions}
        for method in PlaybackSession.Method.values:
            for state in LIVE:
                live.add_metric([method, state], found.get((method, state), 0))
        yield live
        running = GaugeMetricFamily("revenge_transcodes", "Transcodes and remuxes of live sessions.", labels=["state"])
        counts = {row["transcode_state"]: row["n"] for row in transcodes}
        for state in TRANSCODING:
            running.add_metric([state], counts.get(state, 0))
        yield running
