"""Login CSRF: the session sign-in refuses cross-site form posts and foreign origins; JSON from this site works."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.core.testing.people import PASSWORD, user_make

pytestmark = pytest.mark.django_db
LOGIN, ME = "/api/v1/auth/login/", "/api/v1/users/me/"
CREDENTIALS = {"username": "alice", "password": PASSWORD}


@pytest.fixture
def browser() -> Client:
    user_make("alice")
    return Client(enforce_csrf_checks=True)


def signed_in(client: Client) -> bool:
    return client.get(ME).status_code == 200


def test_json_without_origin_signs_in(browser):
    assert browser.post(LOGIN, CREDENTIALS, content_type="application/json").status_code == 200
    assert signed_in(browser)


def test_json_from_this_site_signs_in(browser):
    response = browser.post(
        LOGIN, CREDENTIALS, content_type="application/json; charset=utf-8", headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=BoUnDaRy", "text/plain"]
)
def test_cross_site_form_post_is_refused(browser, content_type):
    if content_type.startswith("multipart"):
        response = browser.post(LOGIN, CREDENTIALS)  # the test client encodes multipart itself
    elif content_type == "text/plain":
        response = browser.post(LOGIN, json.dumps(CREDENTIALS), content_type=content_type)
    else:
        response = browser.post(LOGIN, f"username=alice&password={PASSWORD}", content_type=content_type)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "CSRF" in response.json()["detail"]
    assert not signed_in(browser)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "https://testserver"},  # another scheme is another origin
        {"Origin": "http://testserver:8080"},
        {"Origin": "http://[::1"},  # unparsable
        {"Referer": "https://evil.example/login.html"},
        {"Referer": "not a url at all"},
    ],
)
def test_foreign_origin_is_refused_even_as_json(browser, headers):
    response = browser.post(LOGIN, CREDENTIALS, content_type="application/json", headers=headers)
    assert response.status_code == 403, headers
    assert response.json()["code"] == "csrf_failed"
    assert not signed_in(browser)


def test_trusted_origins_and_wildcards(browser, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://media.example.org", "https://*.home.example"]
    for origin in ("https://media.example.org", "https://tv.home.example", "https://MEDIA.example.org:443"):
        fresh = Client(enforce_csrf_checks=True)
        response = fresh.post(LOGIN, CREDENTIALS, content_type="application/json", headers={"Origin": origin})
        assert response.status_code == 200, origin
    for origin in ("http://media.example.org", "https://home.example.evil", "https://evilhome.example"):
        response = browser.post(LOGIN, CREDENTIALS, content_type="application/json", headers={"Origin": origin})
        assert response.status_code == 403, origin


def test_form_post_with_a_csrf_token_signs_in(browser):
    browser.get("/admin/login/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        LOGIN, {**CREDENTIALS, "csrfmiddlewaretoken": token}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 200, response.content
    assert signed_in(browser)
    wrong = Client(enforce_csrf_checks=True)
    wrong.get("/admin/login/")
    response = wrong.post(LOGIN, {**CREDENTIALS, "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
