"""{% media_card original %}: the media card above a movie's, show's or episode's form (media_pages.py)."""

from __future__ import annotations

from django import template

from apps.console import media_metadata, media_pages

register = template.Library()


@register.inclusion_tag("admin/console/media/card.html", takes_context=True)
def media_card(context, item) -> dict:
    request = context["request"]
    page = media_pages.page_of(user=request.user, item=item)
    box = media_metadata.box_context(user=request.user, item=item) if page else None
    return {"page": page, "box": box, "request": request, "csrf_token": context.get("csrf_token")}
