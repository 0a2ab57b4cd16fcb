"""Signing in and out of the web app: the right password lets a viewer in, anything else is told plainly."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import LoginSession
from apps.core.testing.people import PASSWORD, user_make
from apps.libraries import services as library_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]


@pytest.fixture
def alice():
    return user_make("alice")


def sign_in(client: Client, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": "alice", "password": password, "remember": "on", **extra})


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(alice):
    client = Client()
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/login/?next=/"
    page = client.get("/login/?next=/")
    assert page.status_code == 200 and b'<label for="id_username">Username</label>' in page.content
    signed = sign_in(client, next="/")
    assert signed.status_code == 302 and signed["Location"] == "/"
    assert client.get("/").status_code == 200
    assert LoginSession.objects.filter(user=alice).count() == 1  # the device is recorded as for the API


def test_a_wrong_password_is_told_and_the_form_kept(alice):
    client = Client()
    page = sign_in(client, password="nope")
    assert page.status_code == 401
    assert b"Invalid username or password." in page.content and b'value="alice"' in page.content
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "form",
    [{}, {"username": "alice"}, {"username": "", "password": "x"}, {"username": "a" * 500, "password": "x"}],
)
def test_a_broken_form_is_told_not_crashed(alice, form):
    page = Client().post("/login/", form)
    assert page.status_code == 400 and b"Enter your username and password." in page.content


def test_five_failures_lock_the_form_with_the_apis_message():
    user_make("alice")
    client = Client(REMOTE_ADDR="192.0.2.9")
    statuses = [sign_in(client, password="nope").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    page = sign_in(client)  # the right password does not get past a lock
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert b"Too many failed logins: try again in 15 minutes." in page.content
    assert b'id="id_password"' in page.content  # the sign-in page itself, not a bare lockout page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "admin/"])
def test_next_never_leaves_the_site(alice, target):
    signed = sign_in(Client(), next=target)
    assert signed.status_code == 302 and signed["Location"] == "/"


def test_remember_this_device_keeps_the_cookie_and_unticked_it_ends_with_the_browser(alice):
    kept, brief = Client(), Client()
    sign_in(kept)
    brief.post("/login/", {"username": "alice", "password": PASSWORD})
    assert kept.cookies["sessionid"]["max-age"] != ""
    assert brief.cookies["sessionid"]["max-age"] == ""


def test_sign_out_is_a_post_and_ends_the_session(alice):
    client = Client()
    sign_in(client)
    assert client.get("/logout/").status_code == 405  # a link elsewhere cannot sign anyone out
    out = client.post("/logout/")
    assert out.status_code == 302 and out["Location"] == "/login/"
    assert client.get("/").status_code == 302
    assert not LoginSession.objects.filter(user=alice).exists()


def test_the_page_frame_shows_only_visible_libraries(alice, tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    shared = library_services.library_create(name="Family films", kind="movies", paths=[str(tmp_path / "a")])
    private = library_services.library_create(name="Private", kind="movies", paths=[str(tmp_path / "b")])
    library_services.library_grants_set(library=private, roles={}, users={}, by=None)  # no default grants
    library_services.library_grants_set(library=shared, roles={"user": ["view_library"]}, users={}, by=None)
    client = Client()
    client.force_login(alice)
    page = client.get("/")
    assert page.status_code == 200
    assert [lib["name"] for lib in page.context["web_frame"].libraries] == ["Family films"]
