"""Celery tasks of the requests app: thin wrappers over the hand-off, import and poll services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from apps.requests import handoff, webhooks
from apps.requests.models import ArrServer, MediaRequest
from apps.scanning.services import ScanAlreadyRunningError

HANDOFF_RETRIES = 5


@shared_task(name="requests.handoff", bind=True, acks_late=True, max_retries=HANDOFF_RETRIES)
def request_handoff(self, request_id: int) -> str | None:
    """Send an approved request to Radarr/Sonarr; a server that is down is tried again with backoff, then failed."""
    request = MediaRequest.objects.filter(pk=request_id).first()
    if request is None:
        return None
    try:
        last = self.request.retries >= self.max_retries
        return handoff.request_handoff(request=request, last_attempt=last).status
    except handoff.TRANSIENT as exc:
        countdown = settings.REQUEST_RETRY_SECONDS * 2**self.request.retries
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(
    name="requests.import",
    acks_late=True,
    autoretry_for=(ScanAlreadyRunningError, OSError),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=200,  # waits out a scan holding the library's lock
)
def request_import(server_id: int, arr_id: int | None, external_id: int | None, paths: list[str], done: bool) -> int:
    """A webhook's imported, renamed or deleted files: index them; a Download makes its requests available."""
    server = ArrServer.objects.filter(pk=server_id).first()
    if server is None:
        return 0
    return webhooks.import_apply(server=server, arr_id=arr_id, external_id=external_id, paths=paths, done=done)


@shared_task(name="requests.poll")
def requests_poll() -> dict[str, int]:
    """The periodic safety net: requests whose webhook was missed, and hand-offs whose task was lost."""
    return handoff.requests_poll()
