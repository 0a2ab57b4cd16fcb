"""Shapes of the sign-in, sign-out and sessions-and-tokens endpoints."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.session_selectors import Device


class DeviceSerializer(serializers.Serializer):
    """A signed-in session or API token; `current` is the one making this request."""

    id = serializers.CharField(help_text='"session-<n>" or "token-<n>"; use it to end this session or token.')
    kind = serializers.ChoiceField(choices=["session", "token"])
    name = serializers.CharField(help_text="The token's name, or the browser and system of a session.")
    browser = serializers.CharField()
    os = serializers.CharField()
    device = serializers.CharField()
    ip = serializers.IPAddressField(allow_null=True, help_text="Last address it was used from.")
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField())
    def get_current(self, device: Device) -> bool:
        if device.kind == "token":
            return device.pk == self.context.get("token_id")
        return bool(device.session_key) and device.session_key == self.context.get("session_key")


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class LogoutAllSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Another user (managers only); yourself if left out."
    )


class LogoutAllResultSerializer(serializers.Serializer):
    sessions = serializers.IntegerField(help_text="Live sessions ended.")
    tokens = serializers.IntegerField(help_text="Unexpired API tokens revoked.")
