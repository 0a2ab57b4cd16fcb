"""The web app's search: the API's cached catalogue search, its hits as cards grouped by kind."""

from __future__ import annotations

from apps.media.api.search_views import search_payload
from apps.media.search import query_checked
from apps.media.search.cached import search_cached
from apps.web.cards import hit_card

KINDS = ("movie", "show", "person")  # collections have no page of their own yet
GROUP_TITLES = {"movie": "Movies", "show": "Shows", "person": "People"}
LIMIT = 40


def search_groups(*, user, query: str) -> list[dict]:
    """Hits for `query` as [{kind, title, cards}], best group first; raises ValueError on a bad query."""
    query = query_checked(query)
    hits = search_cached(
        user=user, query=query, kinds=KINDS, limit=LIMIT, compute=lambda: search_payload(user, query, KINDS, LIMIT)
    )
    groups: dict[str, list[dict]] = {}
    for hit in hits:
        groups.setdefault(hit["kind"], []).append(hit_card(hit))
    return [{"kind": kind, "title": GROUP_TITLES[kind], "cards": cards} for kind, cards in groups.items()]
