"""Each kind against a real receiver on 127.0.0.1: what arrives, and how failures come back."""

import json
import time

import pytest

from apps.core.testing.receivers import SECRET
from apps.notifications import kinds, senders, services
from apps.notifications.messages import Message
from apps.notifications.senders import web
from apps.notifications.tests.helpers import make_agent

MESSAGE = Message(title="Now available: Heat (1995)", body="Heat is ready to play.", link="http://media.local/x")
ENVELOPE = senders.Envelope(
    key="ev1.7", event="movie.available", category="media", occurred_at="2026-01-01T00:00:00+00:00",
    payload={"movie_id": 3, "title": "Heat"},
)  # fmt: skip


def test_a_signed_webhook_arrives_and_its_signature_verifies(db, webhook):
    agent = make_agent(url=webhook.url + "/hook", secret=SECRET, events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert result.ok and result.status_code == 200
    [request] = webhook.received
    assert webhook.verified(request)
    assert request.headers["X-Revenge-Event"] == "movie.available"
    assert request.headers["X-Revenge-Delivery"] == request.headers["Idempotency-Key"] == "ev1.7"
    body = request.json()
    assert body["id"] == "ev1.7" and body["payload"] == {"movie_id": 3, "title": "Heat"}
    assert body["message"]["title"] == MESSAGE.title


def test_a_receiver_with_another_secret_refuses_with_its_status_and_nothing_of_its_answer(db, webhook):
    agent = make_agent(url=webhook.url, secret="not-the-secret-the-receiver-has", events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert not result.ok and result.status_code == 401
    assert result.error == "HTTP 401"  # the receiver said "bad signature": that stays with the receiver


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("fail", "HTTP 500"), ("garbage", "broken answer"), ("hang", "no answer within 0.5 s")],
)
def test_500_garbage_and_silence_are_failures_with_their_reason(db, plain_receiver, mode, reason):
    plain_receiver.mode = mode
    agent = make_agent(url=plain_receiver.url, secret=SECRET, events=["*"])
    started = time.monotonic()
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE, timeout=0.5)
    assert not result.ok
    assert reason in result.error and "boom" not in result.error
    assert time.monotonic() - started < 5


def test_every_attempt_waits_ten_seconds_at_most():
    assert kinds.ATTEMPT_TIMEOUT == 10.0


def test_a_receiver_that_is_down_is_a_failure(db, plain_receiver):
    plain_receiver.stop()
    agent = make_agent(url=plain_receiver.url, secret=SECRET, events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert not result.ok and "could not connect" in result.error


def test_redirects_are_not_followed(db, plain_receiver):
    plain_receiver.answer = lambda request: (302, {"Location": "http://127.0.0.1:9/elsewhere"}, b"")
    agent = make_agent(url=plain_receiver.url, secret=SECRET, events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert not result.ok and result.status_code == 302
    assert result.error == "HTTP 302: redirects are not followed"


def test_discord_gets_its_documented_webhook_body(db, discord):
    agent = make_agent(kind="discord", url=discord.webhook_url(), config={"username": "Revenge"}, events=["*"])
    poster = Message(title=MESSAGE.title, body=MESSAGE.body, link=MESSAGE.link, poster="http://media.local/p.jpg")
    result = senders.send(agent, message=poster, envelope=ENVELOPE)
    assert result.ok and result.status_code == 204, (result, discord.problems)
    [request] = discord.received
    body = request.json()
    assert body["content"] == MESSAGE.title and body["username"] == "Revenge"
    assert body["embeds"] == [
        {
            "title": MESSAGE.title,
            "description": MESSAGE.body,
            "url": MESSAGE.link,
            "thumbnail": {"url": "http://media.local/p.jpg"},
        }
    ]


def test_discord_body_stays_within_discords_limits():
    long = Message(title="t" * 500, body="b" * 9000, link="not a url", poster="")
    body = web.discord_body(message=long)
    from apps.core.testing.receivers import DiscordServer

    assert DiscordServer.body_problems(json.loads(json.dumps(body))) == []


def test_gotify_receives_its_message_through_apprise(db, gotify):
    agent = make_agent(kind="gotify", url=f"gotify://127.0.0.1:{gotify.port}/{gotify.token}", events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert result.ok, result
    [request] = gotify.received
    assert request.path == "/message" and request.headers["X-Gotify-Key"] == gotify.token
    assert request.json()["title"] == MESSAGE.title
    assert MESSAGE.body in request.json()["message"]


def test_a_gotify_refusal_comes_back_with_the_status(db, gotify):
    agent = make_agent(kind="gotify", url=f"gotify://127.0.0.1:{gotify.port}/WrongToken", events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert not result.ok and result.status_code == 401
    assert result.error == "HTTP 401"


def test_ntfy_receives_its_message_through_apprise(db, ntfy):
    agent = make_agent(kind="ntfy", url=f"ntfy://127.0.0.1:{ntfy.port}/revenge-alerts", events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert result.ok, result
    [request] = ntfy.received
    document = request.json()
    assert document["topic"] == "revenge-alerts" and document["title"] == MESSAGE.title
    assert MESSAGE.body in document["message"]


def test_apprise_kinds_time_out_too(db, plain_receiver):
    plain_receiver.mode = "hang"
    agent = make_agent(kind="ntfy", url=f"ntfy://127.0.0.1:{plain_receiver.port}/topic", events=["*"])
    started = time.monotonic()
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE, timeout=0.5)
    assert not result.ok and result.error
    assert time.monotonic() - started < 5


def test_email_goes_through_a_real_smtp_server(db, smtp):
    config = {"host": "127.0.0.1", "port": smtp.port, "from_email": "revenge@example.org", "to": ["ops@example.org"]}
    agent = make_agent(kind="email", config=config, events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert result.ok, result
    [(recipients, mail)] = smtp.wait_for(1)
    assert recipients == ["ops@example.org"]
    assert mail["Subject"] == MESSAGE.title and mail["From"] == "revenge@example.org"
    assert MESSAGE.body in mail.get_payload() and MESSAGE.link in mail.get_payload()


def test_email_to_a_server_that_is_not_there_fails_with_a_reason(db):
    from apps.core.testing.servers import free_port

    config = {"host": "127.0.0.1", "port": free_port(), "to": ["ops@example.org"]}
    agent = make_agent(kind="email", config=config, events=["*"])
    result = senders.send(agent, message=MESSAGE, envelope=ENVELOPE)
    assert not result.ok and result.error.startswith("SMTP")


def test_a_personal_email_channel_mails_the_account_address(people, smtp):
    channel = services.agent_create(name="mail", kind="email", owner=people.member)
    result = services.agent_test(agent=channel)
    assert result.ok, result
    [(recipients, mail)] = smtp.wait_for(1)
    assert recipients == ["member@example.org"] and mail["From"] == "revenge@example.org"
