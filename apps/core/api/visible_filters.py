"""Filters by related object that reveal nothing: the choices are what the requester may see."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django_filters import rest_framework as filters


def visible_choice(selector: Callable[..., QuerySet], **kwargs) -> filters.ModelChoiceFilter:
    """`?name=<id>` limited to `selector(user=request.user)`: a hidden id answers 400 exactly like an unknown one."""
    return filters.ModelChoiceFilter(queryset=lambda request: selector(user=getattr(request, "user", None)), **kwargs)
