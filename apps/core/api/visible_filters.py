"""Filters by related object that reveal nothing: the choices are what the requester may see."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django_filters import rest_framework as filters


class VisibleChoiceFilter(filters.ModelChoiceFilter):
    """A ModelChoiceFilter whose choices come from a selector, built only when the request uses the filter.

    django-filter builds every filter's form field, and so its queryset, on each request; the selectors of
    people or collections cost more to build than the whole page they would not filter.
    """

    def __init__(self, *, selector: Callable[..., QuerySet], **kwargs) -> None:
        self.selector = selector
        super().__init__(queryset=selector, **kwargs)

    def get_queryset(self, request) -> QuerySet:
        data = getattr(self.parent, "data", None)
        if data is not None and self.field_name not in data:
            # Not asked for: the field validates nothing, and an empty queryset of the same model says so.
            return _model_of(self.selector)._default_manager.none()
        return self.selector(user=getattr(request, "user", None))


_models: dict[Callable[..., QuerySet], type[Model]] = {}


def _model_of(selector: Callable[..., QuerySet]) -> type[Model]:
    if selector not in _models:
        _models[selector] = selector(user=None).model  # selectors answer nobody with an unevaluated queryset
    return _models[selector]


def visible_choice(selector: Callable[..., QuerySet], **kwargs) -> filters.ModelChoiceFilter:
    """`?name=<id>` limited to `selector(user=request.user)`: a hidden id answers 400 exactly like an unknown one."""
    return VisibleChoiceFilter(selector=selector, **kwargs)
