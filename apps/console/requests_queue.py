"""The requests queue: pending requests with posters, requesters and subscribers; approve to a server with a
quality profile and root folder read from it, or decline with a reason, through the requests services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from apps.requests import services as request_services
from apps.requests.errors import RequestRefused
from apps.requests.models import ArrServer, MediaRequest
from apps.requests.selectors import (
    arr_server_options_cached,
    arr_servers_for_approval,
    may_act_on,
    may_manage_requests,
    pending_queue,
)

PAGE_SIZE = 25
TEMPLATE = "admin/console/requests/queue.html"
FORM_TEMPLATE = "admin/console/requests/approve_form.html"


class ApproveForm(forms.Form):
    """Server, then what that server offers; an empty choice keeps the server's own default."""

    server = forms.ModelChoiceField(queryset=ArrServer.objects.none(), empty_label=None)
    quality_profile = forms.TypedChoiceField(coerce=int, required=False, label="Quality profile")
    root_folder = forms.ChoiceField(required=False, label="Root folder")

    def __init__(self, *args, media_request: MediaRequest, servers, chosen: ArrServer | None = None, **kwargs):
        super().__init__(*args, prefix=f"r{media_request.pk}", **kwargs)
        self.media_request = media_request
        self.fields["server"].queryset = servers
        server = chosen or self._server_named() or servers.first()
        if server is not None:
            self.initial.setdefault("server", server.pk)
        self.server = server
        # Another server chosen: its own profiles and folders replace these (htmx; without it, the defaults hold).
        self.fields["server"].widget.attrs.update(
            {
                "hx-get": reverse("admin:console_request_form", args=[media_request.pk]),
                "hx-include": "closest form",
                "hx-target": "closest form",
                "hx-swap": "outerHTML",
            }
        )
        self.options = arr_server_options_cached(server=server) if server is not None else None
        profiles = self.options.quality_profiles if self.options else []
        folders = self.options.root_folders if self.options else []
        names = dict(profiles)
        self.fields["quality_profile"].choices = [("", _default_label(server, "profile", names)), *profiles]
        self.fields["root_folder"].choices = [("", _default_label(server, "folder", {})), *((f, f) for f in folders)]

    def _server_named(self) -> ArrServer | None:
        """The server the bound data names, when it is one of the choices (its options fill the dropdowns)."""
        raw = self.data.get(self.add_prefix("server")) if self.is_bound else None
        if not raw or not str(raw).isdigit():
            return None
        return self.fields["server"].queryset.filter(pk=int(raw)).first()

    def clean(self) -> dict:
        data = super().clean()
        server = data.get("server")
        if server is None or self.options is None:
            return data
        if self.options.problem and (not server.quality_profile_id or not server.root_folder):
            self.add_error("server", f"{self.options.problem}; it has no default profile and folder to fall back on")
        elif not data.get("quality_profile") and not server.quality_profile_id:
            self.add_error("quality_profile", f"{server.name} has no default quality profile: choose one")
        elif not data.get("root_folder") and not server.root_folder:
            self.add_error("root_folder", f"{server.name} has no default root folder: choose one")
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label="Reason")

    def __init__(self, *args, media_request: MediaRequest, **kwargs):
        super().__init__(*args, prefix=f"d{media_request.pk}", **kwargs)


def _default_label(server: ArrServer | None, what: str, names: dict) -> str:
    if server is None:
        return "—"
    if what == "profile":
        profile = server.quality_profile_id
        return f"Server default ({names.get(profile, profile)})" if profile else "Choose…"
    return f"Server default ({server.root_folder})" if server.root_folder else "Choose…"


def _require_approver(request: HttpRequest) -> None:
    if not may_manage_requests(user=request.user):
        raise PermissionDenied("you may not approve or decline requests")


def _pending(request: HttpRequest, request_id: int) -> MediaRequest:
    media_request = pending_queue(user=request.user).filter(pk=request_id).first()
    if media_request is None:
        raise Http404("no such pending request")
    return media_request


def _entry(request: HttpRequest, media_request: MediaRequest, *, approve=None, decline=None) -> dict:
    servers = arr_servers_for_approval(user=request.user, kind=media_request.kind)
    return {
        "request": media_request,
        "may_act": may_act_on(user=request.user, request=media_request),
        "approve": approve or ApproveForm(media_request=media_request, servers=servers),
        "decline": decline or DeclineForm(media_request=media_request),
        "subscribers": [user.get_username() for user in media_request.subscribers.all()[:5]],
    }


def _page(request: HttpRequest, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    kind = request.GET.get("kind", "")
    queue = pending_queue(user=request.user).select_related("requested_by")
    if kind in MediaRequest.Kind.values:
        queue = queue.filter(kind=kind)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    bound = bound or {}
    entries = [_entry(request, item, **bound.get(item.pk, {})) for item in page]
    context = {
        **admin.site.each_context(request),
        "title": "Requests waiting",
        "entries": entries,
        "page_obj": page,
        "kind": kind,
        "kinds": MediaRequest.Kind.choices,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The page: pending requests, oldest first, filterable by kind."""
    _require_approver(request)
    return _page(request)


@require_GET
def approve_form(request: HttpRequest, request_id: int) -> HttpResponse:
    """The approve form again for the server picked (htmx): its profiles and folders, or why it cannot be asked."""
    _require_approver(request)
    media_request = _pending(request, request_id)
    servers = arr_servers_for_approval(user=request.user, kind=media_request.kind)
    form = ApproveForm(request.GET, media_request=media_request, servers=servers)
    return TemplateResponse(request, FORM_TEMPLATE, {"entry": {"request": media_request, "approve": form}})


@require_POST
def act(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    """Approve (with the chosen server, profile and folder) or decline; errors go next to their fields."""
    _require_approver(request)
    if action not in ("approve", "decline"):
        raise Http404("no such action")
    media_request = _pending(request, request_id)
    if not may_act_on(user=request.user, request=media_request):
        raise PermissionDenied("you may not act on requests of a user ranked above you")
    servers = arr_servers_for_approval(user=request.user, kind=media_request.kind)
    if action == "approve":
        form = ApproveForm(request.POST, media_request=media_request, servers=servers)
    else:
        form = DeclineForm(request.POST, media_request=media_request)
    if form.is_valid():
        try:
            _act(request, media_request, action, form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (RequestRefused, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{'Approved' if action == 'approve' else 'Declined'} {media_request}.")
            return redirect("admin:console_requests")
    return _page(request, bound={media_request.pk: {action: form}}, status=400)


def _act(request: HttpRequest, media_request: MediaRequest, action: str, data: dict) -> None:
    if action == "decline":
        request_services.request_decline(request=media_request, by=request.user, reason=data["reason"])
        return
    request_services.request_approve(
        request=media_request,
        by=request.user,
        server=data["server"],
        quality_profile_id=data.get("quality_profile") or None,
        root_folder=data.get("root_folder") or "",
    )


def urls(site) -> list:
    """The queue's URLs, wrapped by the console site (sign-in, staff only)."""
    return [
        path("console/requests/", site.console_view(queue), name="console_requests"),
        path("console/requests/form/<int:request_id>/", site.console_view(approve_form), name="console_request_form"),
        path(
            "console/requests/do/<int:request_id>/<slug:action>/",
            site.console_view(act),
            name="console_request_do",
        ),
    ]
