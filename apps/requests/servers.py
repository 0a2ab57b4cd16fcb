"""Asking a configured Radarr/Sonarr server: the guarded client, and what a requester hears when it cannot be asked."""

from __future__ import annotations

import logging

from apps.requests.arr import ArrClient, ArrError
from apps.requests.errors import ServerUnavailable
from apps.requests.models import ArrServer

logger = logging.getLogger(__name__)


def arr_client(server: ArrServer, **options) -> ArrClient:
    """The one door to a server: its address goes through the outbound guard, with the server's admin opt-in."""
    return ArrClient(
        server.kind, server.base_url, server.api_key, allow_private=server.allow_private_network, **options
    )


def arr_server_unavailable(server: ArrServer, exc: ArrError) -> ServerUnavailable:
    """What a requester hears when the server cannot be asked: not its address, nor what answered there."""
    logger.warning("looking up a title on %s failed: %s", server, exc)
    return ServerUnavailable(f"{server.name} cannot be asked right now; an admin can see why in the server log")


def poster_of(item: dict) -> str:
    images = item.get("images") if isinstance(item.get("images"), list) else []
    poster = item.get("remotePoster") or next(
        (i.get("remoteUrl") for i in images if isinstance(i, dict) and i.get("coverType") == "poster"), ""
    )
    return poster if isinstance(poster, str) and poster.startswith(("http://", "https://")) else ""
