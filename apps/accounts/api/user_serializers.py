from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts import role_settings
from apps.accounts.models import SETTING_FIELDS, Role, User
from apps.accounts.selectors import effective_settings


class PermissionNamesField(serializers.ListField):
    """Model permissions as "app_label.codename" names."""

    child = serializers.CharField(max_length=200)

    def to_representation(self, permissions) -> list[str]:
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions.all())

    def to_internal_value(self, data) -> list[Permission]:
        names = super().to_internal_value(data)
        found = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in=[n.split(".", 1)[-1] for n in names]
            )
        }
        unknown = [n for n in names if n not in found]
        if unknown:
            raise serializers.ValidationError(f"unknown permissions: {', '.join(sorted(unknown))}")
        return [found[n] for n in names]


class RoleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="group.name", max_length=150)
    permissions = PermissionNamesField(source="group.permissions", required=False)

    class Meta:
        model = Role
        fields = ["id", "name", "rank", "is_builtin", "description", "permissions", *SETTING_FIELDS]
        read_only_fields = ["is_builtin"]


def _setting_validator(name: str):
    """The field's check of apps/accounts/role_settings.py, its Django errors as the serializer's own."""

    def validate(self, value):
        try:
            return role_settings.setting_values_clean({name: value})[name]
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict[name]) from exc

    return validate


for _name in SETTING_FIELDS:
    setattr(RoleSerializer, f"validate_{_name}", _setting_validator(_name))


@extend_schema_field(OpenApiTypes.STR)
class RoleNameField(serializers.RelatedField):
    """A role by its name."""

    def to_representation(self, role: Role) -> str:
        return role.group.name

    def to_internal_value(self, name) -> Role:
        role = self.get_queryset().filter(group__name=str(name)).first()
        if role is None:
            raise serializers.ValidationError(f"no role named {name!r}")
        return role


class UserSerializer(serializers.ModelSerializer):
    role = RoleNameField(queryset=Role.objects.select_related("group"), required=False)
    password = serializers.CharField(write_only=True, required=False, min_length=8, max_length=128)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "role",
            "is_active",
            "settings_overrides",
            "password",
            "date_joined",
            "last_login",
        ]
        read_only_fields = ["date_joined", "last_login"]

    def validate_settings_overrides(self, value) -> dict:
        try:
            return role_settings.settings_overrides_clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["settings_overrides"]) from exc


class UserMeSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="role.name", default=None, read_only=True)
    effective_settings = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_staff",
            "is_superuser",
            "date_joined",
            "last_login",
            "effective_settings",
        ]
        read_only_fields = fields

    def get_effective_settings(self, user: User) -> dict:
        return effective_settings(user=user).as_dict()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    device_name = serializers.CharField(max_length=100, help_text="Shown in your list of sessions and tokens.")
    expires_in_days = serializers.IntegerField(min_value=1, max_value=3650, required=False)


class TokenCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    token = serializers.CharField(help_text="Shown only this once.")
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class UnlockSerializer(serializers.Serializer):
    unlocked = serializers.BooleanField(help_text="Whether there was a lockout or failure count to lift.")
    counters_cleared = serializers.IntegerField()
