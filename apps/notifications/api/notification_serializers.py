"""Serializers of the notifications API; writes go through services, secrets are never read back."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.accounts.selectors import users_visible_to
from apps.libraries.models import Library
from apps.libraries.selectors import libraries_visible_to
from apps.notifications import kinds, services
from apps.notifications.models import (
    Notification,
    NotificationAgent,
    NotificationDelivery,
    NotificationPreference,
)
from apps.notifications.selectors import default_patterns

STATE_FIELDS = [
    "last_success_at",
    "last_failure_at",
    "last_error",
    "consecutive_failures",
    "disabled_reason",
    "created_at",
    "updated_at",
]


class ChannelSerializer(serializers.ModelSerializer):
    """A person's own channel: email (their account address), Gotify, ntfy, Discord or any Apprise URL."""

    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in kinds.PERSONAL_KINDS])
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    url = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Never shown again: it may carry a token."
    )
    events = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Empty: what your preferences ask for. Else names, categories, patterns or "digest".',
    )
    target = serializers.SerializerMethodField()
    allow_private_network = serializers.BooleanField(
        required=False, help_text="Admins only: may reach the server's own network (loopback, LAN)."
    )

    class Meta:
        model = NotificationAgent
        fields = ["id", "name", "kind", "url", "events", "enabled", "allow_private_network", "target", *STATE_FIELDS]
        read_only_fields = STATE_FIELDS

    def get_target(self, agent: NotificationAgent) -> str:
        return kinds.target_display(agent)

    def create(self, validated_data: dict) -> NotificationAgent:
        user = self.context["request"].user
        return services.agent_create(owner=user, by=user, **validated_data)

    def update(self, instance: NotificationAgent, validated_data: dict) -> NotificationAgent:
        return services.agent_update(agent=instance, by=self.context["request"].user, **validated_data)


class AgentSerializer(ChannelSerializer):
    """An operator's agent; `url` and `secret` are write-only (left out on update: kept as they are)."""

    kind = serializers.ChoiceField(choices=NotificationAgent.Kind.choices)
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Webhook signing key or SMTP password."
    )
    has_secret = serializers.SerializerMethodField()
    config = serializers.JSONField(
        required=False, help_text="Email: host, port, username, use_tls, use_ssl, from_email, to."
    )
    events = serializers.ListField(
        child=serializers.CharField(), required=False, help_text='Event names, categories or patterns ("*" for all).'
    )
    libraries = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Library.objects.all())
    users = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=get_user_model().objects.all())
    media_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationAgent.MediaKind.choices), required=False
    )

    class Meta(ChannelSerializer.Meta):
        fields = [
            "id",
            "name",
            "kind",
            "url",
            "secret",
            "has_secret",
            "config",
            "events",
            "libraries",
            "users",
            "media_kinds",
            "enabled",
            "allow_private_network",
            "target",
            *STATE_FIELDS,
        ]

    def get_fields(self) -> dict:
        # Conditions name only libraries and users the manager may see: the same selectors as everywhere.
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["libraries"].child_relation.queryset = libraries_visible_to(user=request.user)
            fields["users"].child_relation.queryset = users_visible_to(user=request.user)
        return fields

    def get_has_secret(self, agent: NotificationAgent) -> bool:
        return bool(agent.secret)

    def create(self, validated_data: dict) -> NotificationAgent:
        return services.agent_create(owner=None, by=self.context["request"].user, **validated_data)


class TestResultSerializer(serializers.Serializer):
    delivered = serializers.BooleanField(source="ok")
    status_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.name", read_only=True)
    event_id = serializers.CharField(source="event.event_id", read_only=True)
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    agent_kind = serializers.CharField(source="agent.kind", read_only=True)

    class Meta:
        model = NotificationDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "agent",
            "agent_name",
            "agent_kind",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class NotificationSerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="name", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "body", "link", "poster", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, notice: Notification) -> bool:
        return notice.read_at is not None


class PreferenceSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Names, categories or patterns, beyond the defaults."
    )
    muted = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Never these, defaults included."
    )
    defaults = serializers.SerializerMethodField(help_text="What you hear without asking.")

    class Meta:
        model = NotificationPreference
        fields = ["events", "muted", "in_app", "digest", "defaults"]

    def get_defaults(self, preference: NotificationPreference) -> list[str]:
        return [*default_patterns(user=preference.user), "your own requests' progress"]

    def update(self, instance: NotificationPreference, validated_data: dict) -> NotificationPreference:
        return services.preference_update(user=instance.user, **validated_data)


class EventTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    payload = serializers.ListField(child=serializers.CharField())


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
