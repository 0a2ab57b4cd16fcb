"""Login CSRF: a password sign-in that sets a session cookie must come from this site, not a cross-site form."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from rest_framework.authentication import CSRFCheck

JSON_TYPES = ("application/json",)


def _origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, lower-cased; None when it has none (or is the opaque "null")."""
    try:
        parts = urlsplit(url.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def _trusted(origin: str, request: HttpRequest) -> bool:
    """This site (scheme and Host) or one of REVENGE_CSRF_TRUSTED_ORIGINS (`https://*.example.com` included)."""
    try:
        own = _origin_of(f"{request.scheme}://{request.get_host()}")
    except DisallowedHost:
        return False
    if origin == own:
        return True
    scheme, _, host = origin.partition("://")
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        entry_scheme, _, entry_host = entry.lower().partition("://")
        if entry_scheme != scheme:
            continue
        if entry_host == host or (entry_host.startswith("*.") and host.endswith(entry_host[1:])):
            return True
    return False


def cross_site_refusal(request: HttpRequest) -> str | None:
    """Why this sign-in looks cross-site (a reason to answer 403 with), or None when it may go on.

    Origin (else Referer) must name this site or a trusted origin; the body must be JSON, which a
    cross-site form cannot send, unless the request carries a valid CSRF token.
    """
    request = getattr(request, "_request", request)
    origin_header = request.META.get("HTTP_ORIGIN")
    referer = request.META.get("HTTP_REFERER")
    if origin_header is not None:
        origin = _origin_of(origin_header)
        if origin is None or not _trusted(origin, request):
            return f"Origin {origin_header[:100]!r} is not this site or a trusted origin."
    elif referer:
        origin = _origin_of(referer)
        if origin is None or not _trusted(origin, request):
            return "Referer is not this site or a trusted origin."
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type in JSON_TYPES:
        return None
    # A form post: only with Django's CSRF token (cookie plus field or X-CSRFToken header).
    check = CSRFCheck(lambda _request: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    return f"Send the credentials as JSON, or with a CSRF token ({reason})." if reason else None
