"""Operator UI: agents (with "Send test"), message wording, the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse

from apps.core import dispatch
from apps.core.admin_writes import NotDeletable, ServiceWrites
from apps.core.events import CATALOGUE
from apps.core.outbound import may_allow_private_network
from apps.notifications import delivery, kinds, selectors, services
from apps.notifications.agent_form import AgentForm
from apps.notifications.matching import DIGEST
from apps.notifications.messages import PARTS, default_parts, template_problem
from apps.notifications.models import MessageTemplate, NotificationAgent, NotificationDelivery


class WhoseFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "whose"

    def lookups(self, request, model_admin):
        return [("operator", "The operator's agents"), ("personal", "People's own channels")]

    def queryset(self, request, queryset):
        if self.value() == "operator":
            return queryset.filter(owner=None)
        if self.value() == "personal":
            return queryset.exclude(owner=None)
        return queryset


class EventFilter(admin.SimpleListFilter):
    """The events the log holds, by name (a short list, not the whole catalogue)."""

    title = "event"
    parameter_name = "event"

    def lookups(self, request, model_admin):
        names = model_admin.get_queryset(request).order_by().values_list("event__name", flat=True).distinct()
        return [(name, name) for name in sorted(set(names))]

    def queryset(self, request, queryset):
        return queryset.filter(event__name=self.value()) if self.value() else queryset


@admin.register(NotificationAgent)
class NotificationAgentAdmin(ServiceWrites, admin.ModelAdmin):
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
    list_filter = ("kind", "enabled", WhoseFilter)
    search_fields = ("name", "owner__username")
    list_select_related = ("owner",)
    # Pickers that pass axe checks: libraries (few) as checkboxes, people as a plain list (SelectFilter and
    # select2's multiple search box leave inputs without labels).
    autocomplete_fields = ("owner",)
    readonly_fields = (
        "target",
        "last_success_at",
        "last_failure_at",
        "last_error",
        "consecutive_failures",
        "disabled_reason",
    )
    actions = ("send_test",)

    def get_queryset(self, request):
        # One door: the operator's agents and, for managers, everyone's personal channels.
        return selectors.agents_and_channels_visible_to(user=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # The opt-in is an admin's decision; others see it, and cannot change it. An owner is set once.
        extra = () if may_allow_private_network(request.user) else ("allow_private_network",)
        return (*self.readonly_fields, *extra, *(("owner",) if obj is not None else ()))

    def save_model(self, request, obj: NotificationAgent, form, change: bool) -> None:
        # The services save (the API's checks, the opt-in record); the admin goes on with what they saved.
        saved = form.agent_save(agent=obj if change else None, by=request.user)
        obj.pk, obj._state.adding = saved.pk, False
        form.instance = saved

    def save_related(self, request, form, formsets, change: bool) -> None:
        for formset in formsets:  # libraries and users were set by the service
            self.save_formset(request, form, formset, change=change)

    @admin.display(description="sends to")
    def target(self, agent: NotificationAgent) -> str:
        return kinds.target_display(agent) if agent.pk else "—"

    def service_delete(self, obj, *, by) -> None:
        services.agent_delete(agent=obj)

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
class MessageTemplateAdmin(ServiceWrites, admin.ModelAdmin):
    """Wording per event in Django template syntax over the payload; an empty part keeps the default."""

    form = MessageTemplateForm
    list_display = ("event", "title", "updated_at")
    search_fields = ("event", "title", "body")

    def service_save(self, obj, *, by) -> None:
        services.message_template_save(template=obj, by=by)

    def service_delete(self, obj, *, by) -> None:
        services.message_template_delete(template=obj, by=by)


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(NotDeletable, admin.ModelAdmin):
    list_display = ("created_at", "event_name", "agent", "status", "attempts", "response_code", "short_error")
    list_filter = ("status", EventFilter, "agent", "agent__kind", ("created_at", admin.DateFieldListFilter))
    search_fields = ("event__name", "event__event_id", "agent__name", "last_error")
    list_select_related = ("event", "agent")
    date_hierarchy = "created_at"
    actions = ("retry",)
    readonly_fields = [f.name for f in NotificationDelivery._meta.fields]

    def get_queryset(self, request):
        return selectors.deliveries_visible_to(user=request.user)

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
        again = [row.pk for row in queryset if delivery.delivery_retry(delivery=row)]
        for pk in again:
            dispatch.task_enqueue("notifications.deliver", args=(pk,), on_commit=False)
        self.message_user(request, f"{len(again)} deliveries queued again.", messages.SUCCESS)
