"""The dashboard's panels: each builds its context from the selectors, for one operator, and has a partial template
that htmx fetches again every POLL_SECONDS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apps.console.panels import attention, libraries, now_playing, work

POLL_SECONDS = 2


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    build: Callable[..., dict]

    @property
    def template(self) -> str:
        return f"admin/console/panels/{self.name.replace('-', '_')}.html"


PANELS = {
    panel.name: panel
    for panel in (
        Panel("now-playing", "Now playing", now_playing.build),
        Panel("work", "Work in progress", work.build),
        Panel("attention", "Needs attention", attention.build),
        Panel("libraries", "Libraries", libraries.build),
    )
}


def panel_render_context(*, panel: Panel, user) -> dict:
    """What a panel's template gets: its name, title and the numbers the selectors allow this operator."""
    return {"name": panel.name, "title": panel.title, "template": panel.template, **panel.build(user=user)}


def all_panels(*, user) -> list[dict]:
    return [panel_render_context(panel=panel, user=user) for panel in PANELS.values()]
