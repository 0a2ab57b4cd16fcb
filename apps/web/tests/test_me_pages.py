"""The "me" pages: notifications, preferences and channels, history, tokens, password, sessions; broken input told."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import ApiToken, LoginSession
from apps.accounts.services import tokens
from apps.core.testing.people import PASSWORD
from apps.notifications import kinds
from apps.notifications.models import Notification, NotificationAgent, NotificationPreference
from apps.playback.models import PlaybackPreference
from apps.requests import services as request_services
from apps.web.tests.plays import play_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]


def signed_in(username: str = "member", password: str = PASSWORD, agent: str = "Firefox") -> Client:
    """Signed in through the sign-in form, so the session is recorded as a device."""
    client = Client(HTTP_USER_AGENT=f"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 {agent}/128.0")
    assert client.post("/login/", {"username": username, "password": password}).status_code == 302
    return client


@pytest.fixture
def declined(people, servers, django_capture_on_commit_callbacks):
    """A request of the member's declined by the moderator: the member has an in-app notice of it."""
    with django_capture_on_commit_callbacks(execute=True):
        request, _ = request_services.request_create(user=people.member, kind="movie", external_id=949)
    with django_capture_on_commit_callbacks(execute=True):
        request_services.request_decline(request=request, by=people.moderator, reason="not in 4K")
    return Notification.objects.get(user=people.member)


def test_every_me_page_answers_and_names_itself(people):
    client = signed_in()
    for path, title in [
        ("/me/", "Overview"),
        ("/me/notifications/", "Notifications"),
        ("/me/preferences/", "Preferences and channels"),
        ("/me/history/", "Watch history"),
        ("/me/playback/", "Languages and subtitles"),
        ("/me/tokens/", "API tokens"),
        ("/me/password/", "Password"),
        ("/me/sessions/", "Sessions and devices"),
    ]:
        page = client.get(path)
        assert page.status_code == 200 and f'<h1 class="page-title">{title}</h1>'.encode() in page.content, path


def test_a_notice_is_counted_unread_then_marked_read(people, declined):
    client = signed_in()
    page = client.get("/me/notifications/")
    assert b'aria-label="1 unread"' in page.content and declined.title.encode() in page.content
    assert client.post(f"/me/notifications/{declined.pk}/read/").status_code == 302
    declined.refresh_from_db()
    assert declined.read_at is not None
    assert b'aria-label="1 unread"' not in client.get("/me/notifications/").content


def test_someone_elses_notice_is_not_found_and_stays_unread(people, declined):
    client = signed_in("other")
    assert client.post(f"/me/notifications/{declined.pk}/read/").status_code == 404
    assert client.post("/me/notifications/read-all/").status_code == 302
    declined.refresh_from_db()
    assert declined.read_at is None
    assert signed_in().get("/me/notifications/?page=x' OR 1=1").status_code == 200


def test_preferences_are_saved_through_the_service(people):
    client = signed_in()
    form = {"pref-events": "request.available, media\nlibrary", "pref-muted": "", "pref-digest": "weekly"}
    assert client.post("/me/preferences/", form).status_code == 302
    saved = NotificationPreference.objects.get(user=people.member)
    assert (saved.events, saved.in_app, saved.digest) == (["request.available", "media", "library"], False, "weekly")


@pytest.mark.parametrize(
    ("form", "told"),
    [
        ({"pref-events": "no.such.event", "pref-digest": "off"}, b"no.such.event"),
        ({"pref-muted": "<script>", "pref-digest": "off"}, b"&lt;script&gt;"),
        ({"pref-events": "media", "pref-digest": "hourly"}, b"Select a valid choice. hourly is not one"),
        ({"pref-events": "x" * 10_001, "pref-digest": "off"}, b"at most 10000 characters"),
    ],
)
def test_broken_preferences_are_told_at_the_field_and_nothing_is_saved(people, form, told):
    client = signed_in()
    client.post("/me/preferences/", {"pref-events": "media", "pref-digest": "daily", "pref-in_app": "on"})
    page = client.post("/me/preferences/", form)
    assert page.status_code == 400 and told in page.content and b'class="field-error"' in page.content
    saved = NotificationPreference.objects.get(user=people.member)
    assert (saved.events, saved.digest, saved.in_app) == (["media"], "daily", True)


def test_a_channel_is_added_and_removed(people):
    client = signed_in()
    made = client.post(
        "/me/channels/new/",
        {"channel-kind": "ntfy", "channel-name": "Phone", "channel-url": "ntfys://ntfy.sh/rvg-topic"},
    )
    assert made.status_code == 302
    channel = NotificationAgent.objects.get(owner=people.member)
    page = client.get("/me/preferences/")
    assert b"Phone" in page.content and kinds.target_display(channel).encode() in page.content  # as the API shows it
    assert signed_in("other").post(f"/me/channels/{channel.pk}/delete/").status_code == 404
    assert client.post(f"/me/channels/{channel.pk}/delete/").status_code == 302
    assert not NotificationAgent.objects.exists()


@pytest.mark.parametrize(
    ("form", "told"),
    [
        ({"channel-kind": "ntfy", "channel-url": "ntfy://127.0.0.1/topic"}, b"Address 127.0.0.1 is a loopback address"),
        ({"channel-kind": "discord", "channel-url": "https://10.0.0.5/api/webhooks/1/x"}, b"private"),
        ({"channel-kind": "discord", "channel-url": "http://localhost:8000/hook"}, b"field-error"),
        ({"channel-kind": "apprise", "channel-url": "json://example.com/"}, b"only an admin may use it"),
        ({"channel-kind": "gotify", "channel-url": ""}, b"The URL is required for this kind"),
        ({"channel-kind": "webhook", "channel-url": "https://example.com/"}, b"Select a valid choice."),
        ({"channel-kind": "ntfy", "channel-url": "ntfys://ntfy.sh/t", "channel-events": "bogus!"}, b"bogus!"),
    ],
)
def test_a_refused_channel_url_is_told_next_to_the_field(people, form, told):
    page = signed_in().post("/me/channels/new/", form)
    assert page.status_code == 400 and told in page.content, page.content.decode()[-3000:]
    assert b'class="field-error"' in page.content
    assert not NotificationAgent.objects.exists()


def test_a_token_is_shown_once_then_only_its_name(people):
    client = signed_in()
    page = client.post("/me/tokens/", {"name": "Living room TV", "expires_in_days": "30", "password": PASSWORD})
    token = ApiToken.objects.get(user=people.member)
    key = page.content.decode().split('<code id="token-key">')[1].split("</code>")[0]
    assert key.startswith("rvg_") and tokens.token_hash(key) == token.key_hash
    again = client.get("/me/tokens/")
    assert b"Living room TV" in again.content and key.encode() not in again.content
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/users/me/").status_code == 200
    assert signed_in("other").post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "tv", "expires_in_days": "0"},
        {"name": "tv", "expires_in_days": "9e9"},
        {"name": "tv", "password": ""},
        {"name": "tv", "password": "wrong"},
    ],
)
def test_a_broken_token_form_is_told_and_no_token_made(people, form):
    form = {"password": PASSWORD, **form}
    page = signed_in().post("/me/tokens/", form)
    assert page.status_code == 400 and b'class="field-error"' in page.content
    assert not ApiToken.objects.exists()


def test_a_password_change_ends_the_other_sessions_and_tokens_but_this_one(people):
    here, elsewhere = signed_in(), signed_in(agent="Chrome")
    tokens.api_token_create(user=people.member, name="tv")
    page = here.post(
        "/me/password/",
        {"password": PASSWORD, "new": "a new long passphrase", "again": "a new long passphrase"},
        follow=True,
    )
    assert b"Password changed; 1 other session and 1 API token ended." in page.content
    assert here.get("/me/").status_code == 200
    assert elsewhere.get("/me/").status_code == 302
    assert LoginSession.objects.filter(user=people.member).count() == 1
    assert signed_in(password="a new long passphrase").get("/me/").status_code == 200


@pytest.mark.parametrize(
    ("form", "told"),
    [
        ({"password": "wrong", "new": "a new long passphrase", "again": "a new long passphrase"}, b"not your current"),
        (
            {"password": PASSWORD, "new": "a new long passphrase", "again": "another one"},
            b"The two new passwords differ.",
        ),
        ({"password": PASSWORD, "new": "short", "again": "short"}, b"at least 8 characters"),
        ({"password": PASSWORD, "new": "x" * 129, "again": "x" * 129}, b"at most 128 characters"),
        ({"password": PASSWORD, "new": "12345678", "again": "12345678"}, b"entirely numeric"),
        ({}, b"This field is required."),
    ],
)
def test_a_broken_password_change_is_told_and_the_old_password_kept(people, form, told):
    client = signed_in()
    page = client.post("/me/password/", form)
    assert page.status_code == 400 and told in page.content
    people.member.refresh_from_db()
    assert people.member.check_password(PASSWORD)


def test_sessions_are_listed_one_ended_then_everywhere(people):
    here, elsewhere = signed_in(), signed_in(agent="Chrome")
    page = here.get("/me/sessions/")
    assert page.content.count(b"/end/") == 2 and b"this browser" in page.content
    other = LoginSession.objects.filter(user=people.member).order_by("pk").last()
    assert signed_in("other").post(f"/me/sessions/{other.pk}/end/").status_code == 404
    assert here.post(f"/me/sessions/{other.pk}/end/").status_code == 302
    assert elsewhere.get("/me/").status_code == 302 and here.get("/me/").status_code == 200
    signed_in(agent="Chrome")
    assert here.post("/me/sessions/end-all/")["Location"] == "/login/"
    assert here.get("/me/").status_code == 302
    assert not LoginSession.objects.filter(user=people.member).exists()


def test_history_lists_only_my_own_plays(people):
    client = signed_in()
    assert b"Nothing watched yet." in client.get("/me/history/").content
    play_record(people.member, "Heat (1995)")
    play_record(people.other, "Arrival (2016)")
    page = client.get("/me/history/?page=99999999999")
    assert page.status_code == 200 and b"Heat (1995)" in page.content and b"50% watched" in page.content
    assert b"Arrival" not in page.content
    # A moderator sees others' plays through the API; their own page still lists only their own.
    assert b"Heat" not in signed_in("mod").get("/me/history/").content


@pytest.mark.parametrize(
    "path",
    [
        "/me/notifications/99999999999999999999/read/",
        "/me/channels/99999999999999999999/delete/",
        "/me/tokens/99999999999999999999/revoke/",
        "/me/sessions/99999999999999999999/end/",
        "/requests/99999999999999999999/cancel/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(people, path):
    assert signed_in().post(path).status_code == 404


def test_languages_and_subtitles_are_saved_through_the_service(people):
    client = signed_in()
    form = {"audio_language": "Deutsch", "subtitle_language": "en", "subtitles": "foreign"}
    assert client.post("/me/playback/", form).status_code == 302
    saved = PlaybackPreference.objects.get(user=people.member)
    assert (saved.audio_language, saved.subtitle_language, saved.subtitles) == ("ger", "eng", "foreign")
    page = client.get("/me/playback/")
    assert b'value="German"' in page.content and b'value="English"' in page.content


@pytest.mark.parametrize(
    ("form", "told"),
    [
        ({"audio_language": "klingon", "subtitles": "off"}, b"is not a language this server knows"),
        ({"subtitle_language": "<b>x</b>", "subtitles": "off"}, b"&#x27;&lt;b&gt;x&lt;/b&gt;&#x27; is not a language"),
        ({"audio_language": "en", "subtitles": "sometimes"}, b"Select a valid choice."),
        ({"audio_language": "e" * 65, "subtitles": "off"}, b"at most 64 characters"),
    ],
)
def test_broken_languages_are_told_at_the_field_and_nothing_is_saved(people, form, told):
    client = signed_in()
    client.post("/me/playback/", {"audio_language": "fr", "subtitles": "always"})
    page = client.post("/me/playback/", form)
    assert page.status_code == 400 and told in page.content and b'class="field-error"' in page.content
    saved = PlaybackPreference.objects.get(user=people.member)
    assert (saved.audio_language, saved.subtitles) == ("fre", "always")
