"""Poster cards of the web app: what a row, grid or search result shows of a title, built from the payloads the API
already serves (list items, watch rows, search hits), so an image URL is named in one place (apps/media/images)."""

from __future__ import annotations

from django.urls import reverse

from apps.media.images import images_payload

POSTER = (342, 513)  # the served width of a poster, and its 2:3 height
STILL = (500, 281)  # an episode still, 16:9
PROFILE = (185, 278)


def watch_url(kind: str, pk: int) -> str:
    """The player's URL of a movie or episode."""
    return reverse(f"web:watch-{kind}", args=[pk])


def title_url(kind: str, pk: int) -> str:
    return reverse({"movie": "web:movie", "show": "web:show", "person": "web:person"}[kind], args=[pk])


def image_src(image: dict | None, size: tuple[int, int]) -> dict | None:
    """An image payload ({url, …}) as an <img>'s src and box at the served width; None without one."""
    if not image or not image.get("url"):
        return None
    return {"src": f"{image['url']}&w={size[0]}", "width": size[0], "height": size[1]}


def card(
    *,
    title: str,
    href: str,
    image: dict | None,
    sub: str = "",
    size: tuple[int, int] = POSTER,
    percent: float | None = None,
    watched: bool = False,
    label: str = "",
) -> dict:
    """One card: its link, title line, second line, picture (or None for the title placeholder) and progress."""
    return {
        "title": title,
        "href": href,
        "sub": sub,
        "img": image_src(image, size),
        "wide": size[0] > size[1],
        "percent": round(percent) if percent else None,
        "watched": watched,
        "label": label or title,
    }


def title_card(item: dict, kind: str) -> dict:
    """A movie or show list item (MovieSerializer / ShowSerializer data)."""
    return card(
        title=item["title"],
        href=title_url(kind, item["id"]),
        image=(item.get("images") or {}).get("poster"),
        sub=str(item.get("year") or ""),
    )


def item_card(item, kind: str) -> dict:
    """A movie or show row whose posters are prefetched (`artwork`)."""
    poster = images_payload(item.artwork.all()).get("poster")
    return card(title=item.title, href=title_url(kind, item.pk), image=poster, sub=str(item.year or ""))


def episode_code(season: int | None, episode: int | None) -> str:
    if season is None or episode is None:
        return ""
    return f"S{season} E{episode}"


def watch_card(entry: dict, images: dict) -> dict:
    """A continue-watching or next-up entry (item_reference): a link to the player, the movie's or show's poster."""
    item = entry["item"]
    if item["kind"] == "episode":
        show = item["show"] or {}
        code = episode_code(item["season"], item["episode"])
        return card(
            title=show.get("title", ""),
            href=watch_url("episode", item["id"]),
            image=images.get(("show", show.get("id"))),
            sub=" · ".join(part for part in (code, item["title"]) if part),
            percent=item["percent"],
            label=f"Play {show.get('title', '')} {code}".strip(),
        )
    return card(
        title=item["title"],
        href=watch_url("movie", item["id"]),
        image=images.get(("movie", item["id"])),
        sub=str(item.get("year") or ""),
        percent=item["percent"],
        label=f"Resume {item['title']}",
    )


def watch_image_keys(entries: list[dict]) -> list[tuple[str, int]]:
    """The owners whose posters the watch cards show: the movie, or the episode's show."""
    keys = []
    for entry in entries:
        item = entry["item"]
        if item["kind"] == "movie":
            keys.append(("movie", item["id"]))
        elif item["kind"] == "episode" and item["show"]:
            keys.append(("show", item["show"]["id"]))
    return keys


def hit_card(hit: dict) -> dict:
    """A search hit (the API's search payload)."""
    size = PROFILE if hit["kind"] == "person" else POSTER
    return card(
        title=hit["title"],
        href=title_url(hit["kind"], hit["id"]),
        image=hit.get("image"),
        sub=str(hit.get("year") or ""),
        size=size,
    )
