"""Keep cached effective settings true (any change to an input forgets the affected users); record sign-ins."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from guardian.models import GroupObjectPermission, UserObjectPermission

from apps.accounts.models import ApiToken, IPRule, Role, User
from apps.accounts.selectors import effective_settings_forget
from apps.accounts.services import sessions
from apps.accounts.services.roles import roles_setup
from apps.core import caching, metrics

logins_total = metrics.counter("logins_total", "Successful sign-ins, by how: session or token.", ["method"])


@receiver(post_save, sender=Role)
@receiver(pre_delete, sender=Role)
def role_changed(sender, instance: Role, **kwargs) -> None:
    effective_settings_forget(user_ids=list(User.objects.filter(role_id=instance.pk).values_list("pk", flat=True)))
    caching.bump(caching.ACCESS)  # what members may see changed


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender, instance: User, **kwargs) -> None:
    effective_settings_forget(user_ids=[instance.pk])
    # Again at commit: the signed-in user is cached under this scope (apps/accounts/backends.py), and a reader
    # between the save and the commit would keep the row as it was, active or with its old password.
    caching.bump_with_commit(caching.user(instance.pk))


@receiver(post_save, sender=ApiToken)
@receiver(post_delete, sender=ApiToken)
def token_changed(sender, instance: ApiToken, **kwargs) -> None:
    # The cached token of apps/accounts/authentication.py; again at commit, so no reader caches it in between.
    caching.bump_with_commit(caching.api_tokens(instance.user_id))


@receiver(post_save, sender=IPRule)
@receiver(post_delete, sender=IPRule)
def ip_rule_changed(sender, **kwargs) -> None:
    caching.bump("ip-rules")


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
@receiver(post_save, sender=UserObjectPermission)
@receiver(post_delete, sender=UserObjectPermission)
@receiver(post_save, sender=GroupObjectPermission)
@receiver(post_delete, sender=GroupObjectPermission)
def grant_changed(sender, instance=None, **kwargs) -> None:
    # A change to one user's groups or grants is theirs alone: new members must not drop everyone's cache.
    # Again at commit: a reader in between would cache permissions or libraries as they were, a revoked one kept.
    if isinstance(instance, User):
        caching.bump_with_commit(caching.user(instance.pk))
    elif isinstance(instance, UserObjectPermission):
        caching.bump_with_commit(caching.user(instance.user_id))
    else:
        caching.bump_with_commit(caching.ACCESS)


@receiver(user_logged_in, dispatch_uid="revenge-session-record")
def logged_in(sender, request, user: User, token=None, **kwargs) -> None:
    logins_total.labels(method="session" if token is None else "token").inc()
    if request is not None and token is None:  # a token login announces itself (services.api_token_login)
        sessions.session_record(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="revenge-session-forget")
def logged_out(sender, request, user: User | None, **kwargs) -> None:
    if request is not None:
        sessions.session_forget(request=request, user=user)


def setup_roles_after_migrate(sender, **kwargs) -> None:
    """Built-in roles exist wherever the schema does: after the last app migrated, all permissions exist."""
    # post_migrate is sent only for apps that have models: wait for the last of those.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return

    # Receivers run in INSTALLED_APPS order, and accounts comes before auth: make this app's permissions now.
    for config in with_models:
        create_permissions(config, verbosity=0, using=kwargs.get("using", "default"))
    roles_setup()
