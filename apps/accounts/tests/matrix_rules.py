"""The permission matrix's vocabulary: the principals, the statuses they get, and one endpoint's rule."""

from __future__ import annotations

from dataclasses import dataclass, field

PRINCIPALS = ["anonymous", "guest", "kids", "user", "moderator", "admin"]
ANON = {"anonymous": 401}
ALL_OK = {**ANON, "guest": 200, "kids": 200, "user": 200, "moderator": 200, "admin": 200}
MANAGERS_ONLY = {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 200, "admin": 200}
ADMIN_ONLY = {**ANON, "guest": 403, "kids": 403, "user": 403, "moderator": 403, "admin": 200}


def catalogue_detail() -> dict[str, dict[str, int]]:
    """Granted: everyone; not granted: those with the global view permission; over the limit: not kids."""
    return {
        "granted": ALL_OK,
        "hidden": {**ANON, "guest": 404, "kids": 404, "user": 404, "moderator": 200, "admin": 200},
        "restricted": {**ALL_OK, "kids": 404},
    }


def hidden_from(rule: dict[str, int], *who: str) -> dict[str, int]:
    """The same rule, but the object is not even visible to `who`: 404."""
    return {name: (404 if name in who else code) for name, code in rule.items()}


def with_status(rule: dict[str, int], status: int) -> dict[str, int]:
    return {who: (status if code == 200 else code) for who, code in rule.items()}


@dataclass
class Rule:
    """Expected statuses for one endpoint and method, by object case and principal."""

    cases: dict[str, dict[str, int]]
    body: object = None
    cleanup: object = None
    objects: str = ""
    principals: list[str] = field(default_factory=lambda: list(PRINCIPALS))
