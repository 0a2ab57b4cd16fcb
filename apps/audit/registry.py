"""Which models django-auditlog watches, and how its entries are named in the activity log."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.contrib.auth.models import Group
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django_celery_beat.models import PeriodicTask
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.accounts.models import ApiToken, IPRule, Role, User
from apps.audit.models import Activity
from apps.libraries.models import Library, LibraryFolder
from apps.notifications.models import NotificationAgent
from apps.requests.models import ArrServer, MediaRequest

auditlog.register(Library)
auditlog.register(LibraryFolder)
auditlog.register(Role)
auditlog.register(Group, include_fields=["name"], m2m_fields={"permissions"})
auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at", "last_ip"])
auditlog.register(IPRule)
auditlog.register(NotificationAgent, exclude_fields=["secret", "url"])  # both may carry credentials
auditlog.register(ArrServer, exclude_fields=["api_key", "webhook_secret", "last_checked_at", "last_check"])
auditlog.register(MediaRequest, exclude_fields=["updated_at"], m2m_fields={"subscribers"})
# Schedules are settings operators change in the admin; what each run updates is not a change.
auditlog.register(PeriodicTask, exclude_fields=["last_run_at", "total_run_count", "date_changed"])
# Per-library grants: a row created is a permission granted, a row deleted one revoked.
auditlog.register(GroupObjectPermission)
auditlog.register(UserObjectPermission)

GRANT_MODELS = (GroupObjectPermission, UserObjectPermission)
ACTION_EVENTS = {Activity.Action.CREATE: "create", Activity.Action.UPDATE: "update", Activity.Action.DELETE: "delete"}


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


@receiver(pre_delete, sender=User)
def actor_name_keep(sender, instance: User, **kwargs) -> None:
    """Entries keep the name of an actor whose account is deleted (the foreign key becomes NULL)."""
    Activity.objects.filter(actor=instance, actor_name="").update(actor_name=instance.get_username()[:150])
