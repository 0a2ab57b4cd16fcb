"""What the frame of every web page shows a viewer: their libraries and whether they may request."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from apps.libraries.selectors import libraries_visible_to
from apps.requests.selectors import may_request


class WebFrame:
    """Read on first use only, so pages that never show the frame (the console) pay nothing."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def libraries(self) -> list[dict]:
        return list(libraries_visible_to(user=self.user).order_by("name").values("id", "name", "kind"))

    @cached_property
    def may_request(self) -> bool:
        return may_request(user=self.user)


def web_frame(request: HttpRequest) -> dict:
    """Context processor: the header's links, from the same selectors the API uses (none for the signed-out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"web_frame": WebFrame(user)}
