"""`?profile=1`: pyinstrument's report for superusers (session or API token), only when REVENGE_PROFILING is on."""

import pytest
from django.test import override_settings

from apps.accounts.services.tokens import api_token_create
from apps.core.testing.people import user_make

PROFILED = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.core.profiling.ProfilingMiddleware",
]


def _token(user) -> str:
    return "Token " + api_token_create(user=user, name="profiling")[1]


@pytest.mark.django_db
@override_settings(MIDDLEWARE=PROFILED, PROFILING=True)
def test_profiling_is_for_superusers_only(client, admin_user, user):
    client.force_login(user)
    assert b"pyinstrument" not in client.get("/api/docs/?profile=1").content
    client.force_login(admin_user)
    response = client.get("/api/docs/?profile=1")
    assert response.status_code == 200
    assert b"pyinstrument" in response.content


@pytest.mark.django_db
@override_settings(MIDDLEWARE=PROFILED, PROFILING=True)
def test_a_superuser_token_gets_the_report(client, admin_user):
    response = client.get("/api/v1/users/me/?profile=1", HTTP_AUTHORIZATION=_token(admin_user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html") and b"pyinstrument" in response.content


@pytest.mark.django_db
@override_settings(MIDDLEWARE=PROFILED, PROFILING=True)
def test_other_tokens_and_anonymous_get_the_normal_answer(client, user):
    response = client.get("/api/v1/users/me/?profile=1", HTTP_AUTHORIZATION=_token(user))
    assert response.status_code == 200 and response.json()["username"] == "alice"
    assert client.get("/api/v1/users/me/?profile=1").status_code in (401, 403)
    staff = user_make("staff", is_staff=True)
    assert b"pyinstrument" not in client.get("/api/v1/users/me/?profile=1", HTTP_AUTHORIZATION=_token(staff)).content


@pytest.mark.django_db
@override_settings(MIDDLEWARE=PROFILED, PROFILING=True)
def test_a_bad_token_gets_the_normal_refusal(client, admin_user):
    for header in ("Token nope", "Token " + "x" * 5000, "Bearer", "Token a b", "Token \u00e9"):
        response = client.get("/api/v1/users/me/?profile=1", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert b"pyinstrument" not in response.content


@pytest.mark.django_db
@override_settings(MIDDLEWARE=PROFILED, PROFILING=False)
def test_nothing_is_profiled_when_profiling_is_off(client, admin_user):
    response = client.get("/api/v1/users/me/?profile=1", HTTP_AUTHORIZATION=_token(admin_user))
    assert response.status_code == 200 and response.json()["username"] == admin_user.username
    client.force_login(admin_user)
    assert b"pyinstrument" not in client.get("/api/docs/?profile=1").content


def test_profiling_is_off_by_default(settings):
    assert settings.PROFILING is False
    assert "apps.core.profiling.ProfilingMiddleware" not in settings.MIDDLEWARE
