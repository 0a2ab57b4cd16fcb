"""The agent form of the console: events as checkboxes grouped by category, media kinds as checkboxes, libraries
and users as pickers; what it cleans is checked again by the services that save it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.outbound import may_allow_private_network
from apps.notifications import kinds, services
from apps.notifications.matching import DIGEST
from apps.notifications.models import NotificationAgent
from apps.notifications.selectors import event_types

KEEP = "Leave empty to keep the stored value (never shown again)."
EVERY = "*"


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group, with the group's legend."""

    template_name = "notifications/widgets/grouped_checkboxes.html"


def event_choices(stored: list[str] | tuple = ()) -> list:
    """Every event, then per category "everything in it" and its events; stored patterns of another form kept."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for entry in event_types():
        groups.setdefault(entry.category, []).append((entry.name, f"{entry.name} — {entry.description}"))
    choices: list = [("Every event", [(EVERY, "Every event, now and later")])]
    known = {EVERY}
    for category, items in groups.items():
        choices.append((category.capitalize(), [(category, f"Everything in {category}"), *items]))
        known |= {category, *(name for name, _ in items)}
    choices.append(("Summary", [(DIGEST, "digest — the daily or weekly summary (personal channels only)")]))
    known.add(DIGEST)
    others = [pattern for pattern in stored if isinstance(pattern, str) and pattern not in known]
    if others:
        choices.append(("Other patterns", [(pattern, pattern) for pattern in others]))
    return choices


class AgentForm(forms.ModelForm):
    url = forms.CharField(required=False, label="URL", widget=forms.TextInput(attrs={"size": 80}), help_text=KEEP)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False), help_text=KEEP)
    events = forms.MultipleChoiceField(
        required=False,
        widget=GroupedCheckboxes,
        help_text="What this agent hears about. A whole category also takes events added to it later.",
    )
    media_kinds = forms.MultipleChoiceField(
        required=False,
        choices=NotificationAgent.MediaKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Only these media kinds",
        help_text="None ticked: every kind.",
    )

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
        widgets = {"libraries": forms.CheckboxSelectMultiple, "users": forms.SelectMultiple(attrs={"size": 8})}
        labels = {"libraries": "Only events of these libraries", "users": "Only events about these people"}

    user = None  # who is saving: set by the admin, for the opt-in rules

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Write-only: the stored URL (it may carry a token) and secret are never put back into the page.
        self.initial["url"] = self.initial["secret"] = ""
        self.fields["events"].choices = event_choices(self.instance.events if self.instance.pk else ())

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
                owner=data.get("owner", stored.owner if stored.pk else None),
                allow_private_network=allowed,
                admin=admin or bool(unchanged),
            )
        except ValidationError as exc:
            self.add_error_dict(exc)
            return data
        data.update(cleaned)
        return data

    def add_error_dict(self, exc: ValidationError) -> None:
        for field, errors in exc.message_dict.items():
            self.add_error(field if field in self.fields else None, errors)

    def agent_save(self, *, agent: NotificationAgent | None, by) -> NotificationAgent:
        """Through the services, as the API saves: a new agent (agent None) or the stored one changed."""
        data = self.cleaned_data
        fields = {
            "name": data.get("name", ""),
            "kind": data.get("kind", ""),
            "url": data["url"],
            "secret": data["secret"],
            "config": data.get("config"),
            "events": data.get("events", []),
            "media_kinds": data.get("media_kinds", []),
            "enabled": data.get("enabled", True),
            "allow_private_network": data["allow_private_network"],
            "by": by,
        }
        if agent is None:
            libraries, users = data.get("libraries") or (), data.get("users") or ()
            return services.agent_create(owner=data.get("owner"), libraries=libraries, users=users, **fields)
        # The form's own copy was changed in cleaning; the service compares with what is stored.
        stored = NotificationAgent.objects.get(pk=agent.pk)
        return services.agent_update(agent=stored, libraries=data.get("libraries"), users=data.get("users"), **fields)
