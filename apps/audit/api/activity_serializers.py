from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.audit.models import Activity


class ActivitySerializer(serializers.ModelSerializer):
    action = serializers.CharField(source="event")
    actor = serializers.SerializerMethodField()
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(source="object_pk")
    ip = serializers.IPAddressField(source="remote_addr", allow_null=True)
    changes = serializers.JSONField()
    data = serializers.JSONField(source="additional_data")

    class Meta:
        model = Activity
        fields = [
            "id",
            "timestamp",
            "action",
            "success",
            "actor",
            "object_type",
            "object_id",
            "object_repr",
            "message",
            "changes",
            "ip",
            "user_agent",
            "data",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_actor(self, entry: Activity) -> dict | None:
        if entry.actor_id is None and not entry.actor_name:
            return None
        name = entry.actor.get_username() if entry.actor_id else entry.actor_name
        return {"id": entry.actor_id, "username": name}
