"""The playback plan (build.py) from small verdicts: tracks, limits, video, audio, subtitles and the ladder."""

from apps.playback.plan.build import Plan, plan_decide
from apps.playback.plan.profiles import AUDIO_BITRATE, CONTAINER_NAMES, DEVICE_PROFILES, PROFILES, Capabilities

__all__ = ["AUDIO_BITRATE", "CONTAINER_NAMES", "DEVICE_PROFILES", "PROFILES", "Capabilities", "Plan", "plan_decide"]
