"""An agent's "Send test" on its page: sent now through the notifications services, the result shown in place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST

from apps.notifications import services
from apps.notifications.selectors import agents_and_channels_visible_to

RESULT_TEMPLATE = "admin/console/agents/test_result.html"


@require_POST
def agent_test(request: HttpRequest, agent_id: int) -> HttpResponse:
    """Send the test message with the agent's saved settings; answer with what happened (htmx swaps it in)."""
    agent = agents_and_channels_visible_to(user=request.user).filter(pk=agent_id).first()
    if agent is None:
        raise Http404("no such agent")
    if not request.user.has_perm("notifications.change_notificationagent"):
        raise PermissionDenied("you may not test agents")
    result = services.agent_test(agent=agent)
    context = {"agent": agent, "ok": result.ok, "error": (result.error or "")[:500]}
    return TemplateResponse(request, RESULT_TEMPLATE, context)


def urls(site) -> list:
    return [path("console/agents/<int:agent_id>/test/", site.console_view(agent_test), name="console_agent_test")]
