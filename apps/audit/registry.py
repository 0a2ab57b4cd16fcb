"""Which models django-auditlog watches (each app registers its own), and how entries are named in the log."""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django_celery_beat.models import PeriodicTask
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.audit.models import Activity

GRANT_MODELS = (GroupObjectPermission, UserObjectPermission)
ACTION_EVENTS = {Activity.Action.CREATE: "create", Activity.Action.UPDATE: "update", Activity.Action.DELETE: "delete"}


def model_register(model: type[models.Model], **options: Any) -> None:
    """Record every change of `model` in the activity log; `options` as auditlog.register's (exclude_fields, ...).

    Called by each app for its own models from its AppConfig.ready().
    """
    auditlog.register(model, **options)


# Schedules are settings operators change in the admin; what each run updates is not a change.
model_register(PeriodicTask, exclude_fields=["last_run_at", "total_run_count", "date_changed"])


def change_event(entry: Activity) -> str:
    """The activity name of an auditlog entry: create/update/delete, or a permission granted or revoked."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model in GRANT_MODELS and entry.action in (Activity.Action.CREATE, Activity.Action.DELETE):
        return "permission_granted" if entry.action == Activity.Action.CREATE else "permission_revoked"
    m2m = (entry.changes or {}).get("permissions") if isinstance(entry.changes, dict) else None
    if model is Group and isinstance(m2m, dict) and m2m.get("type") == "m2m":
        return "permission_granted" if m2m.get("operation") == "add" else "permission_revoked"
    return ACTION_EVENTS.get(entry.action, "access")


@receiver(pre_save, sender=Activity)
def activity_name(sender, instance: Activity, **kwargs) -> None:
    if not instance.event:
        instance.event = change_event(instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def actor_name_keep(sender, instance: models.Model, **kwargs) -> None:
    """Entries keep the name of an actor whose account is deleted (the foreign key becomes NULL)."""
    Activity.objects.filter(actor=instance, actor_name="").update(actor_name=instance.get_username()[:150])
