"""Writes of the requests app: servers and their connection tests."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.requests.arr import ArrClient, ArrError
from apps.requests.models import ArrServer


def arr_client(server: ArrServer, **options) -> ArrClient:
    return ArrClient(server.kind, server.base_url, server.api_key, **options)


def arr_server_test(*, server: ArrServer) -> tuple[bool, str]:
    """ "Test connection": asks the server for its status and remembers the answer."""
    try:
        status = arr_client(server, retries=0).system_status() or {}
        ok, said = True, f"connected to {status.get('appName', server.kind)} {status.get('version', '')}".strip()
    except ArrError as exc:
        ok, said = False, str(exc)
    except ValueError as exc:
        ok, said = False, str(exc)
    ArrServer.objects.filter(pk=server.pk).update(last_checked_at=timezone.now(), last_check=said[:500])
    return ok, said


def arr_server_options(*, server: ArrServer) -> dict:
    """Quality profiles and root folders to choose from, as the server lists them."""
    arr = arr_client(server)
    profiles = [{"id": p.get("id"), "name": p.get("name")} for p in arr.quality_profiles() or []]
    folders = [
        {"id": f.get("id"), "path": f.get("path"), "free_space": f.get("freeSpace")} for f in arr.root_folders() or []
    ]
    return {"quality_profiles": profiles, "root_folders": folders}


@transaction.atomic
def arr_server_make_default(*, server: ArrServer) -> ArrServer:
    """The default of its kind (and 4K flag); the previous default stops being one."""
    ArrServer.objects.filter(kind=server.kind, is_4k=server.is_4k, is_default=True).exclude(pk=server.pk).update(
        is_default=False
    )
    server.is_default = True
    server.save(update_fields=["is_default"])
    return server
