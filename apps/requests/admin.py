"""Radarr and Sonarr servers in the admin, with "Test connection"."""

from django import forms
from django.contrib import admin, messages

from apps.requests import services
from apps.requests.models import ArrServer


@admin.register(ArrServer)
class ArrServerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "base_url", "is_default", "is_4k", "enabled", "last_check", "last_checked_at")
    list_filter = ("kind", "enabled")
    readonly_fields = ("webhook_secret", "last_checked_at", "last_check")
    actions = ["test_connection"]

    def get_form(self, request, obj=None, **kwargs):
        # The stored key is never shown again (a password field that renders empty); left empty, it is kept.
        kwargs["widgets"] = {"api_key": forms.PasswordInput(render_value=False)}
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["api_key"].required = obj is None
        return form

    def save_model(self, request, obj: ArrServer, form, change: bool) -> None:
        if change and not form.cleaned_data.get("api_key"):
            obj.api_key = ArrServer.objects.get(pk=obj.pk).api_key
        super().save_model(request, obj, form, change)
        if obj.is_default:
            services.arr_server_make_default(server=obj)

    @admin.action(description="Test connection", permissions=["change"])
    def test_connection(self, request, queryset) -> None:
        for server in queryset:
            ok, message = services.arr_server_test(server=server)
            messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, f"{server}: {message}")
