"""Users, their roles, API tokens and signed-in sessions."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.accounts.role_settings import setting_values_clean, settings_overrides_clean


class Role(models.Model):
    """A Django group with a rank and the settings its members get (see `effective_settings`)."""

    ADMIN, MODERATOR, USER, GUEST = "admin", "moderator", "user", "guest"

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    rank = models.PositiveSmallIntegerField(help_text="Higher ranks manage lower ones (admin 100, guest 10).")
    is_builtin = models.BooleanField(default=False, editable=False)
    description = models.CharField(max_length=300, blank=True)
    max_streams = models.PositiveSmallIntegerField(default=0, help_text="Concurrent streams; 0 is unlimited.")
    max_transcode_height = models.PositiveSmallIntegerField(default=0, help_text="Pixels; 0 is unlimited.")
    max_transcode_bitrate_kbps = models.PositiveIntegerField(default=0, help_text="0 is unlimited.")
    may_download = models.BooleanField(default=False)
    request_quota_movies = models.PositiveSmallIntegerField(default=0, help_text="Per quota period; 0 is unlimited.")
    request_quota_shows = models.PositiveSmallIntegerField(default=0, help_text="Per quota period; 0 is unlimited.")
    request_quota_days = models.PositiveSmallIntegerField(default=7)
    requests_auto_approved = models.BooleanField(default=False)
    may_approve_requests = models.BooleanField(default=False)
    allowed_library_kinds = models.JSONField(default=list, blank=True, help_text="Empty allows every kind.")
    max_parental_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Highest certification age shown; empty is unlimited."
    )
    block_unrated = models.BooleanField(default=False, help_text="Hide items without a certification.")
    allowed_genres = models.JSONField(default=list, blank=True, help_text="Only these genres; empty allows all.")
    blocked_genres = models.JSONField(default=list, blank=True)
    feature_flags = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-rank", "group__name"]

    def __str__(self) -> str:
        return self.group.name

    @property
    def name(self) -> str:
        return self.group.name

    def clean(self) -> None:
        for field, value in setting_values_clean({f: getattr(self, f) for f in SETTING_FIELDS}).items():
            setattr(self, field, value)


SETTING_FIELDS = (
    "max_streams",
    "max_transcode_height",
    "max_transcode_bitrate_kbps",
    "may_download",
    "request_quota_movies",
    "request_quota_shows",
    "request_quota_days",
    "requests_auto_approved",
    "may_approve_requests",
    "allowed_library_kinds",
    "max_parental_age",
    "block_unrated",
    "allowed_genres",
    "blocked_genres",
    "feature_flags",
)


class User(AbstractUser):
    """A person who uses Revenge: one role, and optional overrides of the role's settings."""

    display_name = models.CharField(max_length=150, blank=True)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="users")
    settings_overrides = models.JSONField(
        default=dict, blank=True, help_text="Role settings that differ for this user, by field name."
    )
    session_epoch = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised to end every session of the user at once."
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        overrides = self.settings_overrides
        self.settings_overrides = settings_overrides_clean({} if overrides is None else overrides)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's HMAC of the password, plus the epoch once raised; SECRET_KEY_FALLBACKS pass `secret`."""
        if not self.session_epoch:
            # Epoch 0 keeps Django's own hash, so sessions from before this field stay valid.
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "apps.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class ApiToken(models.Model):
    """A named API token; only its SHA-256 is stored, the key is shown once at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters of the key, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, help_text="User agent of the client that created it.")
    last_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class LoginSession(models.Model):
    """A signed-in browser session: the device and address behind one Django session key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} session {self.pk}"


def validate_network(value: str) -> None:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError as exc:
        raise ValidationError(
            f"{value!r} is not an IP address or CIDR network (e.g. 192.168.1.0/24, 2001:db8::/32)"
        ) from exc


class IPRule(models.Model):
    """An access rule by client network: block it, allow only listed networks, or keep staff to them."""

    class Kind(models.TextChoices):
        BLOCK = "block", "Block these addresses"
        ALLOW = "allow", "Allow only listed addresses (once any allow rule exists)"
        STAFF_ONLY = "staff_only", "Admins and moderators only from listed addresses"

    network = models.CharField(max_length=64, validators=[validate_network], help_text="Address or CIDR, IPv4 or IPv6.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "network"]
        verbose_name = "IP rule"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.network}"


class LoginLockout(models.Model):
    """Failed logins of one username, client IP or pair, and the lock they earned (see accounts.services.lockout)."""

    class Scope(models.TextChoices):
        USERNAME = "username", "Username"
        IP = "ip", "Client IP"
        USERNAME_IP = "username_ip", "Username and client IP"

    scope = models.CharField(max_length=16, choices=Scope.choices)
    key = models.CharField(max_length=300, help_text="Lower-cased username, IP address, or both joined by '|'.")
    username = models.CharField(max_length=150, blank=True, help_text="Last username tried.")
    ip = models.GenericIPAddressField(null=True, blank=True, help_text="Last client IP.")
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    permanent = models.BooleanField(default=False, help_text="Locked until an admin or moderator unlocks.")
    first_failure_at = models.DateTimeField(default=timezone.now)
    last_failure_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_failure_at"]
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_lockout_scope_key")]
        indexes = [models.Index(fields=["last_failure_at"], name="login_lockout_last_failure")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}: {self.failures} failures"

    def is_locked(self, now=None) -> bool:
        now = now or timezone.now()
        return self.permanent or (self.locked_until is not None and self.locked_until > now)
