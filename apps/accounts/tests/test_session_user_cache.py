"""The signed-in session's user comes from the cache, and any change to the user is seen on the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.accounts.services import users
from apps.core.testing.clients import signed_in
from apps.core.testing.people import user_make

pytestmark = pytest.mark.django_db(transaction=True)
ME = "/api/v1/users/me/"


@pytest.fixture
def alice() -> User:
    return user_make("alice")


def test_a_signed_in_request_reads_neither_session_nor_user_from_the_database(alice):
    client = signed_in()
    assert client.get(ME).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).json()["username"] == "alice"
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "django_session"' not in sql and 'FROM "accounts_user"' not in sql


def test_a_deactivated_user_is_signed_out_at_once(alice):
    client = signed_in()
    assert client.get(ME).status_code == 200
    users.user_update(user=alice, by=None, is_active=False)
    assert client.get(ME).status_code == 401


def test_a_deleted_user_is_signed_out_at_once(alice):
    client = signed_in()
    assert client.get(ME).status_code == 200
    User.objects.filter(pk=alice.pk).delete()
    assert client.get(ME).status_code == 401


def test_a_renamed_user_is_seen_renamed_on_the_next_request(alice):
    client = signed_in()
    assert client.get(ME).json()["username"] == "alice"
    alice.first_name = "Alice B."
    alice.save()
    assert client.get(ME).json()["first_name"] == "Alice B."


def test_a_changed_password_ends_other_sessions_at_once(alice):
    client = signed_in()
    assert client.get(ME).status_code == 200
    alice.set_password("another-long-passphrase-9")
    alice.save()
    assert client.get(ME).status_code == 401


ACTIVITY = "/api/v1/activity/"  # needs the audit.view_activity permission, asked with has_perm


def _view_activity() -> Permission:
    return Permission.objects.get(content_type__app_label="audit", codename="view_activity")


def test_a_permission_check_reads_no_permission_tables_after_the_first_request(alice):
    alice.user_permissions.add(_view_activity())
    client = signed_in()
    assert client.get(ACTIVITY).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ACTIVITY).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "auth_permission"' not in sql


def test_a_revoked_permission_is_refused_on_the_next_request(alice):
    alice.user_permissions.add(_view_activity())
    client = signed_in()
    assert client.get(ACTIVITY).status_code == 200
    alice.user_permissions.remove(_view_activity())
    assert client.get(ACTIVITY).status_code == 403


def test_a_permission_taken_from_the_role_is_refused_on_the_next_request(alice):
    group = alice.role.group
    group.permissions.add(_view_activity())
    client = signed_in()
    assert client.get(ACTIVITY).status_code == 200
    group.permissions.remove(_view_activity())
    assert client.get(ACTIVITY).status_code == 403
    group.permissions.add(_view_activity())
    assert client.get(ACTIVITY).status_code == 200
