"""Agents and personal channels, message overrides, the event outbox, the delivery log, in-app notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.fields import EncryptedTextField
from apps.core.models import TimeStampedModel


class NotificationAgent(TimeStampedModel):
    """Where messages go: an operator's agent (no owner) or a person's own channel (owner set)."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Signed webhook"
        DISCORD = "discord", "Discord"
        EMAIL = "email", "Email (SMTP)"
        GOTIFY = "gotify", "Gotify"
        NTFY = "ntfy", "ntfy"
        TELEGRAM = "telegram", "Telegram"
        APPRISE = "apprise", "Any Apprise URL"

    class MediaKind(models.TextChoices):
        MOVIE = "movie", "Movies"
        EPISODE = "episode", "Episodes"
        SHOW = "show", "Shows"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_channels",
        help_text="Empty for the operator's agents; a person's own channel otherwise.",
    )
    # Target URLs carry tokens (Discord, Gotify, Telegram): like the secret, encrypted and never shown by the API.
    url = EncryptedTextField(blank=True, help_text="Webhook, Discord webhook or Apprise URL.")
    secret = EncryptedTextField(blank=True, help_text="Webhook signing key, or the SMTP password.")
    allow_private_network = models.BooleanField(
        default=False,
        help_text="Admins only: may reach addresses of the server's own network (loopback, LAN, link-local).",
    )
    config = models.JSONField(default=dict, blank=True, help_text="Options of the kind (SMTP server, sender name).")
    events = models.JSONField(
        default=list, blank=True, help_text='Event names, categories or patterns: "request.available", "media", "*".'
    )
    libraries = models.ManyToManyField(
        "libraries.Library", blank=True, related_name="+", help_text="Only events of these libraries."
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text="Only events about these users."
    )
    media_kinds = models.JSONField(default=list, blank=True, help_text='Only these kinds: "movie", "episode", "show".')
    enabled = models.BooleanField(default=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(
        default=0, help_text="Deliveries that failed every attempt, in a row."
    )
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "enabled"], name="notify_agent_owner_enabled")]

    def __str__(self) -> str:
        return self.name


class MessageTemplate(models.Model):
    """The operator's wording of one event's message; an empty part keeps the default."""

    event = models.CharField(max_length=100, unique=True, help_text='A catalogue event name, or "digest".')
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    link = models.TextField(blank=True)
    poster = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event"]

    def __str__(self) -> str:
        return self.event


class NotificationEvent(models.Model):
    """One domain event (or digest) someone gets, with its rendered message; recorded once."""

    event_id = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=100, db_index=True)
    category = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    message = models.JSONField(default=dict, blank=True, help_text="title, body, link, poster")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.event_id}"


class NotificationDelivery(models.Model):
    """One event to one agent: sent exactly once, whatever the number of task runs."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Waiting to retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    OPEN = (Status.PENDING, Status.RETRYING)

    event = models.ForeignKey(NotificationEvent, on_delete=models.CASCADE, related_name="deliveries")
    agent = models.ForeignKey(NotificationAgent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "notification deliveries"
        constraints = [models.UniqueConstraint(fields=["event", "agent"], name="notify_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.agent_id} [{self.status}]"

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt, so that a receiver can drop a repeat."""
        return f"{self.event.event_id}.{self.agent_id}"


class NotificationPreference(models.Model):
    """What a person wants to hear about, beyond the defaults, and their digest."""

    class Digest(models.TextChoices):
        OFF = "off", "Off"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    events = models.JSONField(default=list, blank=True, help_text="Names, categories or patterns to hear about.")
    muted = models.JSONField(default=list, blank=True, help_text="Never these, defaults included.")
    in_app = models.BooleanField(default=True)
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.OFF)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class Notification(models.Model):
    """An in-app notice: one per person and event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(NotificationEvent, on_delete=models.CASCADE, related_name="notifications")
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.TextField(blank=True)
    poster = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notify_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notify_notification_unread")]

    def __str__(self) -> str:
        return self.title
