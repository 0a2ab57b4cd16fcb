"""Notification preferences and personal channels, through the notifications app's services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from apps.notifications import kinds
from apps.notifications import selectors as notification_selectors
from apps.notifications import services as notification_services
from apps.web.forms_me import ChannelForm, PreferenceForm, service_errors_to
from apps.web.views.me import me_render


def _preference_initial(user) -> dict:
    preference = notification_selectors.preference_of(user=user)
    return {
        "events": "\n".join(preference.events),
        "muted": "\n".join(preference.muted),
        "in_app": preference.in_app,
        "digest": preference.digest,
    }


def _page(request: HttpRequest, *, preferences=None, channel=None, status: int = 200) -> HttpResponse:
    user = request.user
    channels = [(agent, kinds.target_display(agent)) for agent in notification_selectors.channels_visible_to(user=user)]
    context = {
        "preferences": preferences or PreferenceForm(initial=_preference_initial(user), prefix="pref"),
        "channel_form": channel or ChannelForm(prefix="channel"),
        "channels": channels,
        "defaults": notification_selectors.default_patterns(user=user),
    }
    return me_render(request, "web/me_preferences.html", context, here="me-preferences", status=status)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_page(request: HttpRequest) -> HttpResponse:
    """GET: the preferences and channels; POST: save the preferences (all of them or none)."""
    if request.method == "GET":
        return _page(request)
    form = PreferenceForm(request.POST, prefix="pref")
    if form.is_valid():
        try:
            notification_services.preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to(form, exc)
        else:
            messages.success(request, "Preferences saved.")
            return redirect("web:me-preferences")
    return _page(request, preferences=form, status=400)


@login_required
@require_POST
def channel_add(request: HttpRequest) -> HttpResponse:
    """A personal channel; its URL goes through the outbound guard in the service, a refusal told at the field."""
    form = ChannelForm(request.POST, prefix="channel")
    status = 400
    if form.is_valid():
        try:
            with transaction.atomic():
                agent = notification_services.agent_create(owner=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        else:
            messages.success(request, f"Channel {agent.name} added.")
            return redirect("web:me-preferences")
    return _page(request, channel=form, status=status)


@login_required
@require_POST
def channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    agent = notification_selectors.channels_visible_to(user=request.user).filter(pk=channel_id).first()
    if agent is None:
        raise Http404("No such channel.")
    notification_services.agent_delete(agent=agent)
    messages.success(request, f"Channel {agent.name} removed.")
    return redirect("web:me-preferences")
