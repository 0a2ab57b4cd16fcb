"""What every sender takes and gives back: the envelope of a message and the result of one attempt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Envelope:
    """What a receiver learns besides the message: the idempotency key, the event and its payload."""

    key: str
    event: str
    category: str = ""
    occurred_at: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status_code: int | None = None
    error: str = ""
