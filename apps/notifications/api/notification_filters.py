"""Filters of the notifications API."""

from __future__ import annotations

from django_filters import rest_framework as filters

from apps.notifications.models import Notification, NotificationDelivery


class DeliveryFilter(filters.FilterSet):
    event = filters.CharFilter(field_name="event__name", help_text="Event name, e.g. request.available.")

    class Meta:
        model = NotificationDelivery
        fields = ["status", "agent", "event"]


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", help_text="Only unread (true).")

    class Meta:
        model = Notification
        fields = ["unread"]
