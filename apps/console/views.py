"""The console's own pages: a panel's partial (what htmx polls), and the dashboard's actions, which go through
the apps' services and answer with the refreshed panel (htmx) or back to the dashboard (a plain form post)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from apps.console.panels import PANELS, panel_render_context
from apps.playback import services as playback_services
from apps.playback.selectors import may_terminate, sessions_visible_to
from apps.requests import services as request_services
from apps.requests.errors import RequestRefused
from apps.requests.selectors import may_act_on, requests_visible_to

MESSAGE_LIMIT = 500


def _is_htmx(request: HttpRequest) -> bool:
    return bool(HtmxDetails(request))


def _panel_response(request: HttpRequest, name: str, *, notice: str = "", error: str = "") -> HttpResponse:
    panel = PANELS[name]
    context = {"panel": panel_render_context(panel=panel, user=request.user), "notice": notice, "error": error}
    return TemplateResponse(request, panel.template, context)


@require_GET
def panel(request: HttpRequest, name: str) -> HttpResponse:
    """One panel's inner HTML, for htmx to swap in; the same numbers the dashboard showed, fresh."""
    if name not in PANELS:
        raise Http404("no such panel")
    return _panel_response(request, name)


def _answer(request: HttpRequest, name: str, *, notice: str = "", error: str = "") -> HttpResponse:
    if _is_htmx(request):
        return _panel_response(request, name, notice=notice, error=error)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect("admin:index")


@require_POST
def session_end(request: HttpRequest, session_id) -> HttpResponse:
    """End a live stream with a message the viewer is shown (playback's services do the work)."""
    session = sessions_visible_to(user=request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404("no such session")
    if not may_terminate(user=request.user, session=session):
        raise PermissionDenied("you may not end this stream")
    message = request.POST.get("message", "").strip()[:MESSAGE_LIMIT]
    playback_services.session_terminate(session=session, by=request.user, message=message)
    return _answer(request, "now-playing", notice=f"Ended {session.user.get_username()}'s stream of {session.title}.")


@require_POST
def request_act(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    """Approve or decline a pending request from the dashboard (the requests' services decide and hand it on)."""
    if action not in ("approve", "decline"):
        raise Http404("no such action")
    media_request = requests_visible_to(user=request.user).filter(pk=request_id).first()
    if media_request is None:
        raise Http404("no such request")
    if not may_act_on(user=request.user, request=media_request):
        raise PermissionDenied("you may not act on this request")
    try:
        if action == "approve":
            request_services.request_approve(request=media_request, by=request.user)
            notice = f"Approved {media_request.title}."
        else:
            reason = request.POST.get("reason", "").strip()[:MESSAGE_LIMIT]
            request_services.request_decline(request=media_request, by=request.user, reason=reason)
            notice = f"Declined {media_request.title}."
    except RequestRefused as refused:
        return _answer(request, "attention", error=f"{media_request.title}: {refused}")
    return _answer(request, "attention", notice=notice)
