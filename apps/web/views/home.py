"""Home: the rows a viewer starts from, each from the cached reads the API serves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from apps.libraries.selectors import libraries_visible_to
from apps.media.images import images_shown
from apps.media.library_reads import recently_added
from apps.playback.watch_rows import row_items
from apps.requests.selectors import requests_now_available_to
from apps.web.cards import card, title_card, title_url, watch_card, watch_image_keys

ROW_LENGTH = 20


def _watch_rows(user) -> list[dict]:
    entries = {name: row_items(name=name, user=user)[:ROW_LENGTH] for name in ("continue-watching", "next-up")}
    images = images_shown(key for row in entries.values() for key in watch_image_keys(row))
    return [
        {
            "id": "continue-watching",
            "title": "Continue watching",
            "cards": [watch_card(e, images) for e in entries["continue-watching"]],
        },
        {"id": "next-up", "title": "Next up", "cards": [watch_card(e, images) for e in entries["next-up"]]},
    ]


def _arrived_row(user) -> dict:
    arrived = list(requests_now_available_to(user=user)[:ROW_LENGTH])
    keys = [("movie", r.movie_id) if r.movie_id else ("show", r.show_id) for r in arrived]
    images = images_shown(keys)
    cards = []
    for request, key in zip(arrived, keys, strict=True):
        item = request.movie or request.show
        cards.append(card(title=item.title, href=title_url(*key), image=images.get(key), sub=str(item.year or "")))
    return {"id": "arrived", "title": "Requested by you and now available", "cards": cards}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = _watch_rows(user)
    for library in libraries_visible_to(user=user).order_by("name").values("id", "name", "kind"):
        kind = "show" if library["kind"] == "shows" else "movie"
        items = recently_added(user=user, library_id=library["id"]) or []
        rows.append(
            {
                "id": f"recent-{library['id']}",
                "title": f"Recently added in {library['name']}",
                "more": {"href": reverse("web:library", args=[library["id"]]), "label": f"All of {library['name']}"},
                "cards": [title_card(item, kind) for item in items],
            }
        )
    rows.append(_arrived_row(user))
    shown = [row for row in rows if row["cards"]]
    return render(request, "web/home.html", {"title": "Home", "rows": shown})
