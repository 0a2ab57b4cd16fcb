"""The console's operations pages (requests queue, notifications, activity, libraries), wrapped by the site."""

from __future__ import annotations

from apps.console import agents, folder_picker, requests_queue


def consops_urls(site) -> list:
    return [*requests_queue.urls(site), *agents.urls(site), *folder_picker.urls(site)]
