"""What the request workflow refuses, beyond invalid input (ValidationError) and rank (PermissionDenied)."""

from __future__ import annotations


class RequestRefused(Exception):
    """A request that cannot be made or changed now; `status` and `code` are the API's answer."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None, **extra) -> None:
        super().__init__(message)
        self.code = code or self.code
        self.extra = extra


class QuotaExceeded(RequestRefused):
    status, code = 403, "quota_exceeded"


def quota_message(*, limit: int, kind: str, days: int) -> str:
    """ "you have used your 1 movie request of the last day", singular where it is one."""
    requests = "request" if limit == 1 else "requests"
    period = "day" if days == 1 else f"{days} days"
    return f"you have used your {limit} {kind} {requests} of the last {period}"


class NoServer(RequestRefused):
    status, code = 503, "no_server"


class ServerUnavailable(RequestRefused):
    """Radarr/Sonarr could not be asked (down, refused the key): 502 with its words."""

    status, code = 502, "arr_unavailable"
