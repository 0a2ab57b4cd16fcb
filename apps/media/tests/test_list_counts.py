"""Catalogue list counts are remembered, and never outlive a change to what they counted."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.libraries import services as library_services
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)


def test_counts_follow_scans_grants_and_limits(api_client, tmp_path, place):
    root = tmp_path / "movies"
    place(root, "One (2001)/One (2001).mkv")
    library = library_services.library_create(name="M", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    member = users.user_create(username="m", password="x" * 12, by=None)
    api_client.force_authenticate(member)
    assert api_client.get("/api/v1/movies/").json()["count"] == 1

    place(root, "Two (2002)/Two (2002).mkv")
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    assert api_client.get("/api/v1/movies/").json()["count"] == 2

    boss = users.user_create(username="b", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    library_services.library_grants_set(library=library, roles={}, users={}, by=boss)
    assert api_client.get("/api/v1/movies/").json()["count"] == 0

    library_services.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=boss)
    assert api_client.get("/api/v1/movies/").json()["count"] == 2
    users.user_update(user=member, by=None, settings_overrides={"block_unrated": True})
    assert api_client.get("/api/v1/movies/").json()["count"] == 0
