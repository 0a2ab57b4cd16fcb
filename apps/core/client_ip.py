"""The client's IP address: the socket's, unless the request came through a trusted proxy."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """Walk X-Forwarded-For from the right past trusted proxies; a header from anyone else is ignored."""
    # Asked by the IP rules, the audit context, the throttle and the token's last-seen: parsed once a request.
    try:
        return request._revenge_client_ip
    except AttributeError:
        found = request._revenge_client_ip = _client_ip(request)
        return found


def _client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # garbage in the header: trust nothing it says
        if not _is_trusted(hop):
            return hop
    return hops[0] if hops else remote


def ip_or_none(value: str | None) -> str | None:
    """`value` when it is an IP address (for IP columns), else None."""
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
