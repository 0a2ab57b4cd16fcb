"""Every API view derives from a base view and declares a permission rule for each action it exposes."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.accounts.models import User
from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Perm, Public, TokenInUrl
from apps.core.api.viewsets import BaseAPIView, BaseGenericAPIView, BaseGenericViewSet

BASES = (BaseAPIView, BaseGenericAPIView, BaseGenericViewSet)


def _api_views() -> dict[type, set[str]]:
    """Each view class under /api/ with the actions its routes expose (OPTIONS included)."""
    found: dict[type, set[str]] = defaultdict(set)

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                view = getattr(pattern.callback, "cls", None)
                assert view is not None, f"{route} is not a DRF view"
                found[view] |= _actions(view, getattr(pattern.callback, "actions", None))

    walk(get_resolver().url_patterns, "")
    return found


def _actions(view: type, actions: dict[str, str] | None) -> set[str]:
    if actions is not None:
        return {*actions.values(), "metadata"}
    handlers = {m for m in view.http_method_names if m not in ("head", "options") and hasattr(view, m)}
    return handlers | {"options"}


API_VIEWS = _api_views()


def test_the_walk_finds_the_api():
    assert len(API_VIEWS) > 30


@pytest.mark.parametrize("view", sorted(API_VIEWS, key=lambda v: f"{v.__module__}.{v.__qualname__}"), ids=str)
def test_each_view_derives_from_a_base_and_declares_exactly_its_actions(view):
    assert issubclass(view, BASES), f"{view} must derive from one of {BASES}"
    declared = set(view.action_permissions)
    assert API_VIEWS[view] - declared == set(), "actions without a rule (they would be refused)"
    assert declared - API_VIEWS[view] == set(), "rules for actions the view does not expose"


def test_each_api_module_follows_the_naming_pattern():
    for view in API_VIEWS:
        module = view.__module__.rsplit(".", 1)[-1]
        assert module.endswith("_views"), f"{view.__module__}: API views live in <resource>_views.py"


class Undeclared(BaseAPIView):
    action_permissions = ActionPermissions({"get": SIGNED_IN})

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


class UndeclaredViewSet(BaseGenericViewSet):
    action_permissions = ActionPermissions({"list": SIGNED_IN})

    def list(self, request):
        return Response([])

    @action(detail=False, methods=["post"])
    def poke(self, request):
        return Response({"poked": True})


def _call(view, method: str, user=None):
    request = getattr(APIRequestFactory(), method)("/x/")
    if user is not None:
        force_authenticate(request, user=user)
    return view(request)


def test_an_action_without_a_rule_is_refused_even_to_a_superuser():
    boss = User(username="boss", is_superuser=True, is_active=True)
    assert _call(Undeclared.as_view(), "post", boss).status_code == 403
    assert _call(Undeclared.as_view(), "options", boss).status_code == 403
    assert _call(UndeclaredViewSet.as_view({"post": "poke"}), "post", boss).status_code == 403
    assert _call(UndeclaredViewSet.as_view({"get": "list"}), "options", boss).status_code == 403


def test_a_declared_rule_lets_the_action_run():
    someone = User(username="someone", is_active=True)
    assert _call(Undeclared.as_view(), "get", someone).status_code == 200
    assert _call(Undeclared.as_view(), "get").status_code in (401, 403)
    assert _call(UndeclaredViewSet.as_view({"get": "list"}), "get", someone).status_code == 200


def test_rules_are_declarative_values():
    assert Perm("libraries.view_library") == Perm("libraries.view_library")
    assert Public("why").why == "why"
    assert TokenInUrl().has_permission(None, None)
    with pytest.raises(TypeError):
        ActionPermissions({"list": "libraries.view_library"})


class Declared(BaseAPIView):
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    def get(self, request):
        return Response({"ok": True})


def test_a_method_the_view_does_not_answer_is_judged_like_options():
    someone = User(username="someone", is_active=True)
    assert _call(Declared.as_view(), "put", someone).status_code == 405
    assert _call(Undeclared.as_view(), "put", someone).status_code == 403
    assert _call(Declared.as_view(), "head", someone).status_code == 200
