"""Who may read /metrics: addresses in REVENGE_METRICS_ALLOW, or whoever sends the REVENGE_METRICS_TOKEN bearer."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from apps.core.client_ip import client_ip


def _allowed_address(request: HttpRequest) -> bool:
    # The client as the trusted proxies name it: a proxy on loopback does not make the internet loopback.
    try:
        ip = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(ip in network for network in settings.METRICS_ALLOW)


def _bearer(request: HttpRequest) -> str | None:
    keyword, _, value = request.META.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    return value.strip() if keyword.lower() == "bearer" and value.strip() else None


def metrics_refusal(request: HttpRequest) -> JsonResponse | None:
    """None when this request may read the metrics; else the 401 (token wanted or wrong) or 403 to answer."""
    token = settings.METRICS_TOKEN
    sent = _bearer(request)
    if token and sent is not None and hmac.compare_digest(sent.encode(), token.encode()):
        return None
    if (sent is None or not token) and _allowed_address(request):
        return None
    if token:
        detail = "Invalid metrics token." if sent is not None else "Send the metrics token: Authorization: Bearer …"
        response = JsonResponse({"detail": detail, "code": "not_authenticated"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return JsonResponse({"detail": "Metrics are not served to your address.", "code": "permission_denied"}, status=403)
