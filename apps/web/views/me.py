"""The "me" pages' frame and the simple ones: overview, in-app notifications (read, unread count), watch history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.selectors import effective_settings
from apps.notifications import selectors as notification_selectors
from apps.notifications import services as notification_services
from apps.playback.watch_selectors import history_visible_to

PER_PAGE = 30
SECTIONS = [
    ("me", "Overview"),
    ("me-notifications", "Notifications"),
    ("me-preferences", "Preferences and channels"),
    ("me-history", "Watch history"),
    ("me-playback", "Languages and subtitles"),
    ("me-tokens", "API tokens"),
    ("me-password", "Password"),
    ("me-sessions", "Sessions and devices"),
]


def me_render(request: HttpRequest, template: str, context: dict, *, here: str, status: int = 200) -> HttpResponse:
    """A "me" page (`here`: its section's URL name): its side menu with the unread count, and its own context."""
    unread = notification_selectors.notifications_unread_count(user=request.user)
    title = dict(SECTIONS)[here]
    frame = {"title": title, "me_sections": SECTIONS, "me_here": here, "unread": unread}
    return render(request, template, {**frame, **context}, status=status)


def page_of(request: HttpRequest, items) -> object:
    """One page of `items`; a page number that is no number or out of range gives the first or last page."""
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


@login_required
@require_GET
def me_page(request: HttpRequest) -> HttpResponse:
    limits = effective_settings(user=request.user)
    return me_render(request, "web/me.html", {"limits": limits}, here="me")


@login_required
@require_GET
def notifications_page(request: HttpRequest) -> HttpResponse:
    notices = notification_selectors.notifications_visible_to(user=request.user)
    return me_render(request, "web/me_notifications.html", {"page": page_of(request, notices)}, here="me-notifications")


def _back_to_notifications(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    suffix = f"?page={page}" if page.isdigit() and len(page) < 8 else ""
    return redirect(reverse("web:me-notifications") + suffix)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    visible = notification_selectors.notifications_visible_to(user=request.user)
    if not visible.filter(pk=notification_id).exists():
        raise Http404("No such notification.")
    notification_services.notifications_mark_read(user=request.user, ids=[notification_id])
    return _back_to_notifications(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = notification_services.notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
    return _back_to_notifications(request)


@login_required
@require_GET
def history_page(request: HttpRequest) -> HttpResponse:
    # The selector decides what may be seen; of that, a viewer's own page lists only their own plays.
    plays = history_visible_to(user=request.user).filter(user=request.user)
    return me_render(request, "web/me_history.html", {"page": page_of(request, plays)}, here="me-history")
