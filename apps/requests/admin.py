"""Radarr and Sonarr servers in the admin, with "Test connection"; the request approval queue."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.core.admin_writes import ServiceWrites
from apps.core.outbound import may_allow_private_network
from apps.requests import selectors, services
from apps.requests.errors import RequestRefused
from apps.requests.models import ArrServer, MediaRequest


class ArrServerForm(forms.ModelForm):
    user = None  # who is saving: set by the admin, for the opt-in rules

    def clean(self) -> dict:
        data = super().clean()
        stored = self.instance if self.instance.pk else None
        try:
            services.arr_server_check(
                server=ArrServer.objects.get(pk=stored.pk) if stored else None,
                by=self.user,
                base_url=data.get("base_url") or "",
                allowed=data.get("allow_private_network", stored.allow_private_network if stored else False),
            )
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(ArrServer)
class ArrServerAdmin(ServiceWrites, admin.ModelAdmin):
    form = ArrServerForm
    list_display = ("name", "kind", "base_url", "is_default", "is_4k", "enabled", "last_check", "last_checked_at")
    list_filter = ("kind", "enabled")
    readonly_fields = ("last_checked_at", "last_check")
    actions = ["test_connection"]

    def get_form(self, request, obj=None, **kwargs):
        # The stored key is never shown again (a password field that renders empty); left empty, it is kept.
        kwargs["widgets"] = {"api_key": forms.PasswordInput(render_value=False)}
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["api_key"].required = obj is None
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # The opt-in is an admin's decision; others see it, and cannot change it.
        extra = () if may_allow_private_network(request.user) else ("allow_private_network",)
        return (*self.readonly_fields, *extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The webhook to paste into Radarr/Sonarr, with this server's absolute address (copy buttons on the page).
        server = self.get_object(request, object_id)
        extra = {}
        if server is not None:
            url = request.build_absolute_uri(reverse(f"webhook-{server.kind}"))
            extra = {"webhook": {"url": url, "username": "revenge", "secret": server.webhook_secret}}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj: ArrServer, form, change: bool) -> None:
        if change and not form.cleaned_data.get("api_key"):
            obj.api_key = ArrServer.objects.get(pk=obj.pk).api_key
        services.arr_server_save(server=obj, by=request.user, make_default=obj.is_default)

    def service_delete(self, obj, *, by) -> None:
        services.arr_server_delete(server=obj, by=by)

    @admin.action(description="Test connection", permissions=["change"])
    def test_connection(self, request, queryset) -> None:
        for server in queryset:
            ok, message = services.arr_server_test(server=server)
            messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, f"{server}: {message}")


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False)


@admin.register(MediaRequest)
class MediaRequestAdmin(ServiceWrites, admin.ModelAdmin):
    """The approval queue: pending first, bulk approve and decline through the same services as the API."""

    list_display = ("title", "kind", "is_4k", "status", "requested_by", "server", "created_at", "updated_at")
    list_filter = ("status", "kind", "is_4k", "server")
    search_fields = ("title", "tmdb_id", "tvdb_id", "requested_by__username")
    list_select_related = ("requested_by", "server")
    date_hierarchy = "created_at"
    actions = ["approve", "decline"]
    readonly_fields = [f.name for f in MediaRequest._meta.fields] + ["subscribers"]

    def get_queryset(self, request):
        # One door for visibility: the same selector as the API.
        return selectors.requests_visible_to(user=request.user)

    def has_add_permission(self, request) -> bool:
        return False  # requests are made through the API, with their lookup, quota and duplicate rules

    def service_save(self, obj, *, by) -> None:
        """Every field is read-only here: a request changes by the approve and decline actions, nothing else."""

    def service_delete(self, obj, *, by) -> None:
        services.request_withdraw(request=obj, by=by)

    def _each(self, request, queryset, act, done: str) -> None:
        ok = 0
        for media_request in queryset:
            try:
                act(media_request)
                ok += 1
            except (PermissionDenied, ValidationError, RequestRefused) as exc:
                messages.error(request, f"{media_request}: {_message(exc)}")
        if ok:
            messages.success(request, f"{ok} request(s) {done}.")

    @admin.action(description="Approve selected requests", permissions=["change"])
    def approve(self, request, queryset) -> None:
        self._each(request, queryset, lambda r: services.request_approve(request=r, by=request.user), "approved")

    @admin.action(description="Decline selected requests", permissions=["change"])
    def decline(self, request, queryset):
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": "Decline requests",
                "queryset": queryset,
                "form": DeclineForm(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/requests/decline.html", context)
        form = DeclineForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        self._each(
            request,
            queryset,
            lambda r: services.request_decline(request=r, by=request.user, reason=reason),
            "declined",
        )
        return None


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)
