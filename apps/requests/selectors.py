"""Reads of the requests app."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.requests.models import ArrServer


def arr_servers_visible_to(user) -> QuerySet[ArrServer]:
    """Servers are for those who may view them (admins); nobody else sees any."""
    if user and user.is_authenticated and user.has_perm("requests.view_arrserver"):
        return ArrServer.objects.all()
    return ArrServer.objects.none()
