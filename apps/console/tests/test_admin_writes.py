"""Every write the console can make goes through the app's services: no ModelAdmin of ours keeps Django's
save_model, delete_model or delete_queryset (which save and delete rows directly), and no inline edits rows."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.test import RequestFactory

from apps.core.testing.people import user_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = user_make("root", role="admin", is_superuser=True, is_staff=True)
    return request


def ours() -> list[tuple[type, ModelAdmin]]:
    import_module(settings.ROOT_URLCONF)  # the URLconf discovers every app's admin.py (apps/core/admin_app.py)
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("apps.")
    ]


def kept_from_django(model_admin, name: str, base=ModelAdmin) -> bool:
    return getattr(type(model_admin), name) is getattr(base, name)


def test_every_console_save_and_delete_is_a_service(superuser_request):
    direct = []
    for model, model_admin in ours():
        label = model._meta.label
        may_write = model_admin.has_add_permission(superuser_request) or model_admin.has_change_permission(
            superuser_request
        )
        if may_write and kept_from_django(model_admin, "save_model"):
            direct.append(f"{label}: save_model")
        if model_admin.has_delete_permission(superuser_request):
            direct += [
                f"{label}: {name}"
                for name in ("delete_model", "delete_queryset")
                if kept_from_django(model_admin, name)
            ]
    assert direct == []


def inline_writes(inline, request) -> list[str]:
    """What an inline lets a superuser do to its rows: add (a form row to fill), change (a field not read-only)."""
    editable = set(inline.get_fields(request)) - set(inline.get_readonly_fields(request))
    return [
        name
        for name, allowed in (
            ("add", inline.has_add_permission(request, None) and inline.max_num != 0),
            ("change", inline.has_change_permission(request) and bool(editable)),
            ("delete", inline.can_delete and inline.has_delete_permission(request)),
        )
        if allowed
    ]


def test_no_inline_edits_rows_behind_the_services(superuser_request):
    editable = []
    for model, model_admin in ours():
        for inline in model_admin.get_inline_instances(superuser_request):
            writes = inline_writes(inline, superuser_request)
            if writes and kept_from_django(model_admin, "save_related"):
                editable.append(f"{model._meta.label} / {inline.model._meta.label}: {writes}")
    assert editable == []


def test_the_guard_sees_the_registry():
    labels = {model._meta.label for model, _ in ours()}
    assert {"libraries.Library", "accounts.IPRule", "notifications.MessageTemplate", "media.Genre"} <= labels
