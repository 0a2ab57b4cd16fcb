"""Celery tasks of the accounts app."""

from celery import shared_task

from apps.accounts.services import lockout, sessions


@shared_task(name="accounts.lockouts_prune")
def lockouts_prune() -> int:
    """Forget failed-login counts that are not locked and have been quiet for REVENGE_LOCKOUT_FORGET_HOURS."""
    return lockout.lockouts_prune()


@shared_task(name="accounts.sessions_prune")
def sessions_prune() -> int:
    """Delete expired sessions and what is left of them in the device list."""
    return sessions.sessions_prune()
