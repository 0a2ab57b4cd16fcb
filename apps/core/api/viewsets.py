"""Base views of the API: permissions from the view's declared rules, querysets from the app's selector.

Every API view derives from one of these (apps/core/tests/test_api_views.py walks the URLs to check).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from rest_framework import generics, mixins, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from apps.core.api.permissions import REFUSED, ActionPermissions


class PermittedMixin:
    """Answers DRF with the rule `action_permissions` declares for the current action; none declared: refused."""

    action_permissions: ActionPermissions = ActionPermissions()

    def permission_action(self) -> str:
        """The viewset's action, or an API view's handler (get, post, …, options; HEAD is answered by get).

        OPTIONS, and a method the view does not answer (405), are judged by the rule for asking about the view.
        """
        if isinstance(self, viewsets.ViewSetMixin):
            return self.action or "metadata"
        method = self.request.method.lower()
        method = "get" if method == "head" else method
        return method if method != "options" and hasattr(self, method) else "options"

    def get_permissions(self) -> list[BasePermission]:
        return [self.action_permissions.get(self.permission_action(), REFUSED)]


class SelectorMixin:
    """`selector(user=...)` returns what the user may see; objects outside it answer 404, never 403."""

    selector: Callable[..., QuerySet]
    # ASCII digits only: Python's int() also reads fullwidth and other Unicode digits, which would alias every id.
    lookup_value_regex = "[0-9]+"

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # A detail without query parameters: every filter backend would pass it through unchanged, after building
        # its form (django-filter) at a cost above the lookup's.
        if getattr(self, "detail", False) and not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def get_queryset(self) -> QuerySet:
        selector = getattr(type(self), "selector", None)
        if selector is None:
            return super().get_queryset()
        return selector(user=self.request.user)


class BaseAPIView(PermittedMixin, APIView):
    """An API view whose handlers (get, post, …, options) each have a declared rule."""


class BaseGenericAPIView(PermittedMixin, SelectorMixin, generics.GenericAPIView):
    """A generic API view: rules per handler, queryset from `selector` when it has one."""


class BaseGenericViewSet(PermittedMixin, SelectorMixin, viewsets.GenericViewSet):
    """A viewset with the actions its mixins or methods add; each action has a declared rule."""


class BaseReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, BaseGenericViewSet):
    """list and retrieve through the selector."""


class BaseViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    BaseGenericViewSet,
):
    """The full model viewset through the selector."""
