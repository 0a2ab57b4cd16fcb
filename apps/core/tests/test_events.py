import pytest
from django.db import transaction

from apps.core import events


@pytest.fixture
def received():
    seen: list[events.Event] = []

    def listener(event: events.Event) -> None:
        seen.append(event)

    events.subscribe("user.*")(listener)
    yield seen
    events.unsubscribe(listener)


@pytest.mark.django_db(transaction=True)
def test_event_is_delivered_only_after_commit(received):
    with transaction.atomic():
        events.emit("user.created", user_id=1, username="alice")
        assert received == []
    assert [(e.name, e.payload) for e in received] == [("user.created", {"user_id": 1, "username": "alice"})]
    assert received[0].category == "user"


@pytest.mark.django_db(transaction=True)
def test_no_delivery_when_the_transaction_rolls_back(received):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("user.created", user_id=1, username="alice")
        raise RuntimeError("the service failed")
    assert received == []


@pytest.mark.django_db(transaction=True)
def test_no_delivery_from_a_rolled_back_savepoint(received):
    with transaction.atomic():
        events.emit("user.created", user_id=1, username="kept")
        try:
            with transaction.atomic():
                events.emit("user.created", user_id=2, username="dropped")
                raise ValueError
        except ValueError:
            pass
    assert [e.payload["username"] for e in received] == ["kept"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_delivery_is_immediate(received):
    events.emit("user.created", user_id=3, username="carol")
    assert len(received) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_does_not_stop_the_others(received):
    def broken(event):
        raise RuntimeError("subscriber bug")

    events.subscribe("user.created")(broken)
    before = events.subscriber_failures_total.labels(event="user.created")._value.get()
    try:
        events.emit("user.created", user_id=4, username="dave")
    finally:
        events.unsubscribe(broken)
    assert len(received) == 1
    assert events.subscriber_failures_total.labels(event="user.created")._value.get() == before + 1


def test_unknown_event_names_are_refused():
    with pytest.raises(events.UnknownEventError):
        events.emit("movie.teleported", id=1)
    with pytest.raises(events.UnknownEventError):
        events.subscribe("movie.teleported")


def test_payload_must_survive_json():
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        events.emit("user.created", user_id=object(), username="x")


@pytest.mark.django_db(transaction=True)
def test_payloads_reach_subscribers_as_json_would_return_them(received):
    import enum
    import math

    from django.utils.safestring import mark_safe

    class Level(enum.IntEnum):
        HIGH = 3

    odd_text = "nul\x00 \ud800 ünï \u202e"
    events.emit(
        "user.created",
        user_id=Level.HIGH,  # an int subclass: its plain value, as JSON gives it
        username=mark_safe("<b>x</b>"),  # a str subclass: a plain str, as JSON gives it
        tags=("a", 1),
        text=odd_text,
        ratio=float("nan"),
        big=10**30,
        flag=True,
        nothing=None,
    )
    payload = received[-1].payload
    assert type(payload["user_id"]) is int and payload["user_id"] == 3
    assert type(payload["username"]) is str and payload["username"] == "<b>x</b>"
    assert payload["tags"] == ["a", 1]
    assert payload["text"] == odd_text and payload["big"] == 10**30
    assert math.isnan(payload["ratio"]) and payload["flag"] is True and payload["nothing"] is None


def test_a_bad_value_beside_plain_ones_is_still_refused():
    with pytest.raises(ValueError, match="not JSON-serialisable"):
        events.emit("user.created", user_id=1, username="x", extra={1, 2})


def test_event_names_are_defined_once_and_dotted():
    with pytest.raises(ValueError, match="already defined"):
        events.define("user.created", category="user", description="again")
    with pytest.raises(ValueError, match="dotted"):
        events.define("nodot", category="x", description="x")


def test_the_catalogue_is_assembled_from_each_apps_events_module():
    from apps.accounts.events import EVENTS as accounts_events
    from apps.playback.events import EVENTS as playback_events

    catalogue = events.catalogue_load()
    assert catalogue is events.catalogue_load() is events.CATALOGUE  # assembled once, then only read
    assert {entry.name for entry in (*accounts_events, *playback_events)} <= set(catalogue)
    assert catalogue["playback.stopped"] in playback_events
    assert {"apps.accounts", "apps.media", "apps.requests", "apps.playback"} <= set(events._apps_loaded)
