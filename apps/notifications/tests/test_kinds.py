"""Broken agent configuration is refused with a reason per field, before anything is saved."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.testing.receivers import SECRET
from apps.notifications import kinds, services
from apps.notifications.models import NotificationAgent


def refused(**fields) -> dict:
    fields.setdefault("name", "x")
    with pytest.raises(ValidationError) as caught:
        services.agent_create(**fields)
    assert not NotificationAgent.objects.exists()
    return caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"kind": "carrier-pigeon", "url": "http://x"}, "kind", "not a kind"),
        ({"kind": "webhook", "url": "ftp://127.0.0.1/x", "secret": SECRET}, "url", "http:// or https://"),
        ({"kind": "webhook", "url": "file:///etc/passwd", "secret": SECRET}, "url", "http:// or https://"),
        ({"kind": "webhook", "url": "http://", "secret": SECRET}, "url", "no host"),
        ({"kind": "webhook", "url": "http://127.0.0.1:99999/", "secret": SECRET}, "url", "not a valid URL"),
        ({"kind": "webhook", "url": "http://127.0.0.1/hook"}, "secret", "signing secret"),
        ({"kind": "webhook", "url": "", "secret": SECRET}, "url", "required"),
        ({"kind": "discord", "url": "javascript:alert(1)"}, "url", "http:// or https://"),
        ({"kind": "gotify", "url": "ntfy://127.0.0.1/topic"}, "url", "gotify://"),
        ({"kind": "gotify", "url": "gotify://"}, "url", "Apprise"),
        ({"kind": "telegram", "url": "tgram://"}, "url", "Apprise"),
        ({"kind": "apprise", "url": "no-such-service://x"}, "url", "Apprise"),
        ({"kind": "email", "config": {"to": ["a@example.org"]}}, "config", "host"),
        ({"kind": "email", "config": {"host": "h", "to": ["not an address"]}}, "config", "not an email address"),
        ({"kind": "email", "config": {"host": "h", "to": ["a@b.org"], "port": "x"}}, "config", "port"),
        ({"kind": "email", "config": {"host": "h", "to": ["a@b.org"], "smtp": 1}}, "config", "unknown"),
        ({"kind": "webhook", "url": "http://h/", "secret": SECRET, "events": ["nope.nothing"]}, "events", "names no"),
        ({"kind": "webhook", "url": "http://h/", "secret": SECRET, "events": "media"}, "events", "must be a list"),
        ({"kind": "webhook", "url": "http://h/", "secret": SECRET, "media_kinds": ["song"]}, "media_kinds", "song"),
    ],
)
def test_broken_configuration_is_refused_with_a_reason(fields, field, words):
    errors = refused(**fields)
    assert field in errors and words in " ".join(errors[field]), errors


@pytest.mark.django_db
def test_telegram_and_any_apprise_url_are_taken_when_apprise_knows_them():
    tg = services.agent_create(name="tg", kind="telegram", url="tgram://123456789:ABCdefGhIJKlmnOPqrs/12345")
    assert kinds.target_display(tg).startswith("tgram://1...s/")
    assert "ABCdef" not in kinds.target_display(tg)
    any_url = services.agent_create(
        name="slack", kind="apprise", url="json://127.0.0.1:9/hook", allow_private_network=True
    )
    assert kinds.target_display(any_url) == "json://127.0.0.1:9/hook"


def test_targets_are_shown_without_credentials():
    hook = NotificationAgent(kind="webhook", url="https://user:pw@hooks.example.org:8443/very/secret/path")
    assert kinds.target_display(hook) == "https://hooks.example.org:8443/…"
    gotify = NotificationAgent(kind="gotify", url="gotify://127.0.0.1:8080/AbCdEfGhIj")
    assert "AbCdEfGhIj" not in kinds.target_display(gotify)


@pytest.mark.django_db
def test_personal_channels_are_limited_to_personal_kinds_and_the_own_address(people, settings):
    errors = refused(kind="webhook", url="http://h/", secret=SECRET, owner=people.member)
    assert "personal channel" in errors["kind"][0]
    settings.SMTP_URL = ""
    assert "REVENGE_SMTP_URL" in refused(kind="email", owner=people.member)["kind"][0]
    settings.SMTP_URL = "smtp://127.0.0.1:25"
    assert "no email address" in refused(kind="email", owner=people.moderator)["kind"][0]
    channel = services.agent_create(name="me", kind="email", owner=people.member, config={"to": ["x@evil.org"]})
    assert channel.config == {} and kinds.target_display(channel) == "mailto:member@example.org"


def test_the_smtp_url_is_read_and_checked():
    server = kinds.smtp_server_from_url("smtp://me%40x.org:p%20w@mail.example.org:587?starttls=1&from=r@x.org")
    assert (server.host, server.port, server.username, server.password) == ("mail.example.org", 587, "me@x.org", "p w")
    assert server.use_tls and not server.use_ssl and server.from_email == "r@x.org"
    assert kinds.smtp_server_from_url("smtps://mail.example.org").port == 465
    with pytest.raises(ValueError, match="smtp://"):
        kinds.smtp_server_from_url("http://mail.example.org")


def test_a_broken_smtp_url_stops_the_start(settings):
    from apps.notifications.checks import smtp_url_check

    settings.SMTP_URL = "mail.example.org:25"
    [error] = smtp_url_check()
    assert error.id == "revenge.E030" and "REVENGE_SMTP_URL" in error.msg
    settings.SMTP_URL = "smtp://mail.example.org:25"
    assert smtp_url_check() == []


@pytest.mark.django_db
def test_an_update_keeps_the_stored_url_and_secret_when_left_out(db):
    agent = services.agent_create(
        name="h", kind="webhook", url="http://127.0.0.1/h", secret=SECRET, events=["*"], allow_private_network=True
    )
    services.agent_update(agent=agent, name="renamed", events=["media"])
    agent.refresh_from_db()
    assert (agent.name, agent.url, agent.secret, agent.events) == ("renamed", "http://127.0.0.1/h", SECRET, ["media"])
    with pytest.raises(ValidationError):
        services.agent_update(agent=agent, secret="short")
