"""Whether a finished scan changed the catalogue, read from the counters its `library.scan_completed` carries.

Subscribers that refresh what a scan makes stale (cache scopes, home rows, duplicate groups) skip an unchanged
rescan with it: the periodic safety-net scan of a large library then costs no cache misses and no queued work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CHANGE_COUNTERS = ("added", "updated", "moved", "removed")


def scan_changed_catalogue(payload: Mapping[str, Any]) -> bool:
    """False only when the event's counters say no file was added, updated, moved or removed."""
    counters = payload.get("counters") or {}
    # No counters (an event sent by hand or by an older sender): assume a change, as a stale page costs more.
    return not counters or any(counters.get(name) for name in CHANGE_COUNTERS)
