"""The console's site: its name, "View site" only when there is a site, and a plain word for members who reach
the console instead of the stock "staff account" refusal."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.console.forms import NOT_OPERATOR
from apps.core.testing.people import PASSWORD, user_make

pytestmark = pytest.mark.django_db


def test_the_dashboard_is_the_console_and_view_site_is_the_viewers_app(world, signed_in):
    response = signed_in(world.boss).get("/admin/")
    assert response.status_code == 200
    assert b"Revenge console" in response.content
    assert b'href="/">View site' in response.content
    assert signed_in(world.boss).get("/").status_code == 200  # the link goes to a page, not a 404
    assert b"vendor/htmx/htmx.min.js" in response.content and b"console/console.css" in response.content


def test_a_signed_in_member_is_told_this_is_the_operator_console(world, signed_in):
    client = signed_in(world.alice)
    first = client.get("/admin/")
    assert first.status_code == 302 and first["Location"].startswith("/admin/login/")
    page = client.get(first["Location"])
    assert page.status_code == 403
    text = page.content.decode()
    assert "This is the operator console" in text and 'href="/">Go to the viewers\' web app' in text
    assert "staff account" not in text
    assert 'action="/admin/logout/"' in text


def test_a_member_signing_in_at_the_console_is_told_why_not_and_stays_signed_out(world):
    client = Client()
    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 200
    assert NOT_OPERATOR.split(";")[0] in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_wrong_password_still_gets_the_stock_answer(world):
    response = Client().post("/admin/login/", {"username": "alice", "password": "wrong", "next": "/admin/"})
    assert b"correct username and password" in response.content
    assert NOT_OPERATOR.split(";")[0].encode() not in response.content


def test_an_inactive_member_with_the_right_password_is_not_told_more(db):
    user_make("gone", is_active=False)
    response = Client().post("/admin/login/", {"username": "gone", "password": PASSWORD, "next": "/admin/"})
    assert NOT_OPERATOR.split(";")[0].encode() not in response.content


def test_an_operator_still_signs_in(world):
    client = Client()
    response = client.post("/admin/login/", {"username": "mod", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_refresh_after_the_sign_in_ended_sends_the_whole_page_to_sign_in(world):
    response = Client().get("/admin/console/panels/now-playing/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/admin/login/?next=%2Fadmin%2F"
    plain = Client().get("/admin/console/panels/now-playing/")
    assert plain.status_code == 302 and plain["Location"].startswith("/admin/login/")


def test_the_vendored_htmx_is_there_with_its_licence():
    from django.contrib.staticfiles import finders  # the finders need settings: loaded in the test

    script = finders.find("vendor/htmx/htmx.min.js")
    licence = finders.find("vendor/htmx/LICENSE")
    assert script and licence
    with open(script, encoding="utf-8") as handle:
        assert handle.read(40).startswith("var htmx=function()")
    with open(licence, encoding="utf-8") as handle:
        assert "Zero-Clause BSD" in handle.read()
