"""Operator UI: agents (with "Send test"), message wording, the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse

from apps.core.events import CATALOGUE
from apps.core.outbound import may_allow_private_network
from apps.notifications import delivery, kinds, services
from apps.notifications.matching import DIGEST
from apps.notifications.messages import PARTS, default_parts, template_problem
from apps.notifications.models import MessageTemplate, NotificationAgent, NotificationDelivery

KEEP = "Leave empty to keep the stored value (never shown again)."


class AgentForm(forms.ModelForm):
    url = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 80}), help_text=KEEP)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False), help_text=KEEP)

    class Meta:
        model = NotificationAgent
        fields = [
            "name",
            "kind",
            "owner",
            "url",
            "secret",
            "config",
            "events",
            "libraries",
            "users",
            "media_kinds",
            "enabled",
            "allow_private_network",
        ]

    user = None  # who is saving: set by the admin, for the opt-in rules

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Write-only: the stored URL (it may carry a token) and secret are never put back into the page.
        self.initial["url"] = self.initial["secret"] = ""

    def clean(self) -> dict:
        data = super().clean()
        stored = self.instance
        # Write-only: an empty box keeps what is stored.
        data["url"] = data.get("url") or (stored.url if stored.pk else "")
        data["secret"] = data.get("secret") or (stored.secret if stored.pk else "")
        allowed = data.get("allow_private_network", stored.allow_private_network)
        data["allow_private_network"] = allowed
        try:
            services.opt_in_check(
                agent=stored if stored.pk else None,
                by=self.user,
                allowed=allowed,
                url=data["url"],
                kind=data.get("kind", ""),
            )
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
            return data
        admin = may_allow_private_network(self.user)
        unchanged = stored.pk and data["url"] == stored.url and data.get("kind") == stored.kind
        try:
            cleaned = kinds.agent_clean(
                kind=data.get("kind", ""),
                url=data["url"],
                secret=data["secret"],
                config=data.get("config"),
                events=data.get("events"),
                media_kinds=data.get("media_kinds"),
                owner=data.get("owner"),
                allow_private_network=allowed,
                admin=admin or bool(unchanged),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return data
        data.update(cleaned)
        return data

    def save(self, commit: bool = True) -> NotificationAgent:
        agent = super().save(commit=False)
        agent.url, agent.secret = self.cleaned_data["url"], self.cleaned_data["secret"]
        agent.allow_private_network = self.cleaned_data["allow_private_network"]
        if agent.enabled and "enabled" in self.changed_data:
            agent.consecutive_failures, agent.disabled_reason = 0, ""  # turned back on: the count starts over
        if commit:
            agent.save()
            self.save_m2m()
        return agent


@admin.register(NotificationAgent)
class NotificationAgentAdmin(admin.ModelAdmin):
    form = AgentForm
    list_display = (
        "name",
        "kind",
        "owner",
        "enabled",
        "target",
        "last_success_at",
        "last_failure_at",
        "consecutive_failures",
    )
    list_filter = ("kind", "enabled", ("owner", admin.EmptyFieldListFilter))
    search_fields = ("name", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    filter_horizontal = ("libraries", "users")
    readonly_fields = (
        "target",
        "last_success_at",
        "last_failure_at",
        "last_error",
        "consecutive_failures",
        "disabled_reason",
    )
    actions = ("send_test",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # The opt-in is an admin's decision; others see it, and cannot change it.
        extra = () if may_allow_private_network(request.user) else ("allow_private_network",)
        return (*self.readonly_fields, *extra)

    def save_model(self, request, obj: NotificationAgent, form, change: bool) -> None:
        before = NotificationAgent.objects.filter(pk=obj.pk).values_list("allow_private_network", flat=True).first()
        super().save_model(request, obj, form, change)
        if bool(before) != obj.allow_private_network:
            services.opt_in_record(agent=obj, by=request.user)

    @admin.display(description="sends to")
    def target(self, agent: NotificationAgent) -> str:
        return kinds.target_display(agent) if agent.pk else "—"

    @admin.action(description="Send test message")
    def send_test(self, request, queryset) -> None:
        for agent in queryset:
            result = services.agent_test(agent=agent)
            if result.ok:
                self.message_user(request, f"{agent}: delivered.", messages.SUCCESS)
            else:
                self.message_user(request, f"{agent}: failed — {result.error}", messages.ERROR)

    def changelist_view(self, request, extra_context=None) -> HttpResponse:
        turned_off = NotificationAgent.objects.filter(enabled=False).exclude(disabled_reason="")
        for agent in turned_off[:10]:
            self.message_user(request, f"{agent} was {agent.disabled_reason}", messages.WARNING)
        return super().changelist_view(request, extra_context)


class MessageTemplateForm(forms.ModelForm):
    event = forms.ChoiceField(choices=())

    class Meta:
        model = MessageTemplate
        fields = ["event", *PARTS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [(name, name) for name in sorted(CATALOGUE)] + [(DIGEST, "digest (summary)")]
        event = self.initial.get("event") or (self.data.get("event") if self.data else None)
        for part in PARTS:
            self.fields[part].widget = forms.Textarea(attrs={"rows": 2 if part != "body" else 5, "cols": 90})
            if event:
                self.fields[part].help_text = f"Default: {default_parts(event)[part] or '(empty)'}"

    def clean(self) -> dict:
        data = super().clean()
        for part in PARTS:
            problem = template_problem(data.get(part) or "")
            if problem:
                self.add_error(part, f"This template does not compile: {problem}")
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Wording per event in Django template syntax over the payload; an empty part keeps the default."""

    form = MessageTemplateForm
    list_display = ("event", "title", "updated_at")
    search_fields = ("event", "title", "body")


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event_name", "agent", "status", "attempts", "response_code", "short_error")
    list_filter = ("status", "agent__kind", "agent")
    search_fields = ("event__name", "event__event_id", "agent__name", "last_error")
    list_select_related = ("event", "agent")
    date_hierarchy = "created_at"
    actions = ("retry",)
    readonly_fields = [f.name for f in NotificationDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="event", ordering="event__name")
    def event_name(self, row: NotificationDelivery) -> str:
        return row.event.name

    @admin.display(description="last error")
    def short_error(self, row: NotificationDelivery) -> str:
        return row.last_error[:120]

    @admin.action(description="Try failed or cancelled deliveries again")
    def retry(self, request, queryset) -> None:
        from apps.notifications import tasks

        again = [row.pk for row in queryset if delivery.delivery_retry(delivery=row)]
        for pk in again:
            tasks.delivery_attempt.delay(pk)
        self.message_user(request, f"{len(again)} deliveries queued again.", messages.SUCCESS)
