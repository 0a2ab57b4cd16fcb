"""Every API URL answers hostile ids, queries and OPTIONS with a 4xx (or 2xx), never a 5xx."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from rest_framework.schemas.generators import EndpointEnumerator
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import users

pytestmark = pytest.mark.django_db
HOSTILE_IDS = [str(2**70), str(2**63), "-1", "0", "abc", "1e3", "%00", "9" * 400, "..%2F..%2Fetc", "\uff11"]
HOSTILE_QUERIES = [
    "page=" + "9" * 30,
    "page=-1",
    "page=abc",
    "ordering=-nope,__proto__",
    "search=%00",
    "since=not-a-date&until=9999999999-01-01",
    "active=maybe",
    *(
        f"{name}={value}"
        for name in ("library", "movie", "show", "episode", "user", "year", "season", "agent")
        for value in (2**70, -1, "abc", "1.5")
    ),
]


def endpoints() -> list[tuple[str, str]]:
    return sorted(
        {(path, method) for path, method, _ in EndpointEnumerator().get_api_endpoints() if path.startswith("/api/v1/")}
    )


@pytest.fixture
def principals(db) -> dict[str, APIClient]:
    clients = {"anonymous": APIClient()}
    for role in (Role.GUEST, Role.ADMIN):
        user = users.user_create(
            username=f"walker-{role}", password="x" * 12, by=None, role=Role.objects.get(group__name=role)
        )
        clients[role] = APIClient()
        clients[role].force_authenticate(user)
    return clients


def server_errors(client: APIClient, method: str, url: str, *, refused: bool = False) -> str | None:
    """A description of a 5xx answer (or, with `refused`, of any answer that is not a 4xx, or not the API's JSON
    error; an id no route takes, such as `abc`, once got Django's HTML page), else None."""
    response = client.generic(method, url, data="{}", content_type="application/json")
    status = response.status_code
    bad = status >= 500 or (refused and status < 400)
    if refused and not bad and status != 405:
        bad = response.get("Content-Type") != "application/json" or "detail" not in response.json()
    return f"{method} {url[:120]}: {status} {response.get('Content-Type')}" if bad else None


def test_options_on_every_endpoint(principals):
    paths = sorted({path for path, _ in endpoints()})
    failures = []
    for who, client in principals.items():
        for path in paths:
            url = re.sub(r"\{[^}]+\}", "1", path)
            failure = server_errors(client, "OPTIONS", url)
            if failure:
                failures.append(f"{who}: {failure}")
    assert not failures, "\n".join(failures)
    assert len(paths) > 50, "the walk must cover the API"


def test_hostile_ids_in_every_path(principals):
    failures = []
    for path, method in endpoints():
        if "{" not in path:
            continue
        for who in ("guest", "admin"):
            for value in HOSTILE_IDS:
                url = re.sub(r"\{[^}]+\}", value, path)
                # No object has such an id: a 4xx (400/404, or 401/403 first), never a 2xx or a 5xx.
                failure = server_errors(principals[who], method, url, refused=True)
                if failure:
                    failures.append(f"{who}: {failure}")
    assert not failures, "\n".join(failures)


def test_hostile_queries_on_every_list(principals):
    failures = []
    for path, method in endpoints():
        if method != "GET" or "{" in path:
            continue
        for who in ("guest", "admin"):
            for query in HOSTILE_QUERIES:
                failure = server_errors(principals[who], "GET", f"{path}?{query}")
                if failure:
                    failures.append(f"{who}: {failure}")
    assert not failures, "\n".join(failures)


def test_admin_change_pages_with_hostile_ids(admin_client):
    failures = []
    for model in admin.site._registry:
        opts = model._meta
        for value in (str(2**70), "-1", "abc", "9" * 400):
            for view in ("change", "delete", "history"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=["0"]).replace(
                    "/0/", f"/{value}/"
                )
                status = admin_client.get(url).status_code
                if status >= 500:
                    failures.append(f"{url[:120]}: {status}")
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for query in ("p=" + "9" * 30, "o=99", "q=%00", "id__exact=" + str(2**70), "e=1"):
            status = admin_client.get(f"{changelist}?{query}").status_code
            if status >= 500:
                failures.append(f"{changelist}?{query}: {status}")
    assert not failures, "\n".join(failures)
