"""The limits a plan must keep: the client's, the role's and a profile the client picked, the lowest of each."""

from __future__ import annotations

from dataclasses import dataclass

from apps.playback.plan.profiles import AUDIO_BITRATE, PROFILES, Capabilities


@dataclass(frozen=True)
class Limits:
    max_height: int | None
    max_bitrate: int | None  # bits per second, picture and sound together


def _lowest(*values: int | None) -> int | None:
    present = [v for v in values if v]
    return min(present) if present else None


def limits_for(
    *, client: Capabilities, role_max_height: int, role_max_bitrate: int, profile: str | None, reasons: list[str]
) -> Limits:
    """`role_max_bitrate` is in kb/s (as roles store it); a picked profile never raises a limit, only lowers it."""
    max_height = _lowest(client.max_height, role_max_height)
    max_bitrate = _lowest(client.max_bitrate, role_max_bitrate * 1000 if role_max_bitrate else None)
    chosen = next((p for p in PROFILES if p[0] == profile), None)
    if chosen is not None:
        max_height, max_bitrate = _lowest(max_height, chosen[1]), _lowest(max_bitrate, chosen[2] + AUDIO_BITRATE)
        reasons.append(f"the client asked for {chosen[0]}")
    return Limits(max_height, max_bitrate)
