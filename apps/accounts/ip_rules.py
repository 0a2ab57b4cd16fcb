"""IP access rules, checked on every request after authentication (health probes are answered before)."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.accounts.models import IPRule
from apps.core import caching, events, metrics, request_memo
from apps.core.client_ip import client_ip

logger = logging.getLogger("revenge.security")
blocked_total = metrics.counter("ip_rule_blocked_total", "Requests refused by an IP rule.", ["kind"])
REFUSED_MESSAGE = "Access from your network is not allowed."
BLOCK_ENTRY_INTERVAL = 60  # seconds: one activity entry per address and rule kind, so a flood is not a DB flood
_parsed: dict[str, dict[str, list]] = {}


def ip_rules_active() -> dict[str, list]:
    """Enabled rules by kind, as parsed networks; cached until a rule changes (and read once a request)."""
    return request_memo.memoized("ip-rules", _rules_read)


def _rules_read() -> dict[str, list]:
    key = f"ip-rules:{caching.version('ip-rules')}"
    # The key holds the version, so this process may keep the parsed networks: a rule saved bumps it.
    parsed = _parsed.get(key)
    if parsed is not None:
        return parsed
    rules = cache.get(key)
    if rules is None:
        rules = {kind: [] for kind in IPRule.Kind.values}
        try:
            for rule in IPRule.objects.filter(enabled=True):
                rules[rule.kind].append(rule.network)
        except DatabaseError:
            # Before migrations or with the database down nothing can be served anyway; /readyz says why.
            logger.warning("IP rules could not be read; none applied to this request")
            return {kind: [] for kind in IPRule.Kind.values}
        cache.set(key, rules, 3600)
    parsed = {kind: [ipaddress.ip_network(n, strict=False) for n in networks] for kind, networks in rules.items()}
    _parsed.clear()  # only the newest version is ever asked for again
    _parsed[key] = parsed
    return parsed


def refusal(request: HttpRequest, *, user=None) -> str | None:
    """The kind of rule that refuses this request (made by `user`, else request.user), or None when it may go on."""
    rules = ip_rules_active()
    if not any(rules.values()):
        return None
    try:
        ip = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return IPRule.Kind.BLOCK if rules[IPRule.Kind.ALLOW] else None

    def listed(kind: str) -> bool:
        return any(ip in network for network in rules[kind])

    if listed(IPRule.Kind.BLOCK):
        return IPRule.Kind.BLOCK
    if rules[IPRule.Kind.ALLOW] and not listed(IPRule.Kind.ALLOW):
        return IPRule.Kind.ALLOW
    user = user or getattr(request, "user", None)
    staff = bool(user and user.is_authenticated and user.is_staff) or request.path_info.startswith("/admin/")
    if staff and rules[IPRule.Kind.STAFF_ONLY] and not listed(IPRule.Kind.STAFF_ONLY):
        return IPRule.Kind.STAFF_ONLY
    return None


def refusal_record(request: HttpRequest, kind: str) -> None:
    """Count, log and (once a minute per address and kind) announce a refused request."""
    blocked_total.labels(kind=kind).inc()
    ip = client_ip(request)
    logger.warning("blocked by IP rule (%s): %s %s from %s", kind, request.method, request.path, ip)
    if cache.add(f"ip-blocked:{kind}:{ip}", 1, BLOCK_ENTRY_INTERVAL):
        events.emit("security.ip_blocked", ip=ip, rule=kind, method=request.method, path=request.path[:200])


class IPRuleMiddleware:
    """Refuses requests that an IP rule forbids with 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kind = refusal(request)
        if kind is None:
            return self.get_response(request)
        refusal_record(request, kind)
        return JsonResponse({"detail": REFUSED_MESSAGE, "code": "ip_blocked"}, status=403)
