"""Facts of the apps above audit, recorded by listening to their events."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from apps.audit.services import activity_record
from apps.core import events


@events.subscribe("playback.stopped")
def activity_of_terminated_stream(event: events.Event) -> None:
    """A manager ending someone's stream is an act worth a record; plays themselves are the watch history."""
    payload = event.payload
    if payload.get("reason") != "terminated":
        return
    activity_record(
        event="stream_terminated",
        success=True,
        actor=payload.get("by_id"),
        target_type=get_user_model(),
        target_pk=payload.get("user_id"),
        object_repr=payload.get("username") or "",
        message=f"ended {payload.get('title')!r} on {payload.get('device') or 'a device'}: {payload.get('message')}"[
            :500
        ],
        data={"event": event.name, **payload},
    )
