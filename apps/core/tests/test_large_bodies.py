"""A body over DATA_UPLOAD_MAX_MEMORY_SIZE answers 413, in the API and the admin, whatever its encoding."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db
TOO_LARGE = "The request body is larger than this server accepts."
OVER = 3 * 1024 * 1024  # Django's default limit is 2.5 MiB


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [
        ("application/json", json.dumps({"username": "x" * OVER, "password": "y"})),
        ("application/x-www-form-urlencoded", "username=" + "x" * OVER),
    ],
)
def test_api_answers_413(client, content_type, payload):
    for url in ("/api/v1/auth/login/", "/api/v1/auth/token/"):
        response = client.post(url, payload, content_type=content_type)
        assert response.status_code == 413, (url, response.content[:200])
        assert response.json() == {"detail": TOO_LARGE, "code": "too_large"}


def test_an_unreadable_type_is_refused_before_the_body_is_read(client):
    response = client.post("/api/v1/auth/login/", "x" * OVER, content_type="text/plain")
    assert response.status_code == 415


def test_api_multipart_fields_over_the_limit_answer_413(client):
    response = client.post("/api/v1/auth/login/", {"username": "x" * OVER, "password": "y"})
    assert response.status_code == 413


def test_signed_in_writes_answer_413(admin_client, admin_user):
    response = admin_client.patch(
        f"/api/v1/users/{admin_user.pk}/", json.dumps({"display_name": "x" * OVER}), content_type="application/json"
    )
    assert response.status_code == 413


def test_too_many_fields_is_a_400_not_a_500(client):
    body = "&".join(f"f{i}=1" for i in range(1100))  # DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000
    response = client.post("/api/v1/auth/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_admin_answers_413(admin_client):
    response = admin_client.post("/admin/accounts/apitoken/add/", {"name": "x" * OVER})
    assert response.status_code == 413
    assert b"larger than this server accepts" in response.content


def test_a_body_within_the_limit_is_read(client):
    response = client.post(
        "/api/v1/auth/login/", json.dumps({"username": "x" * 100, "password": "y"}), content_type="application/json"
    )
    assert response.status_code == 401
