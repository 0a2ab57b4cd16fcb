"""Who hears of what: defaults, preferences, channels, agent conditions, and never media one may not see."""

import pytest
from django.core.cache import cache

from apps.core import events
from apps.core.testing.receivers import SECRET
from apps.notifications import delivery, routing, selectors, services
from apps.notifications.models import Notification, NotificationDelivery, NotificationEvent, NotificationPreference
from apps.notifications.tests.helpers import dispatched, make_agent

pytestmark = pytest.mark.django_db


def told(event) -> set[str]:
    """Usernames with an in-app notice of the event."""
    return set(Notification.objects.filter(event=event).values_list("user__username", flat=True))


def everyone_wants(people, *patterns: str) -> None:
    for user in vars(people).values():
        services.preference_update(user=user, events=list(patterns))


def test_nobody_hears_of_a_movie_outside_their_grants_or_rating_limit(people, catalogue):
    everyone_wants(people, "media")
    family = dispatched("movie.added", movie_id=catalogue.family.pk, library_id=catalogue.open.pk, title="Family Film")
    adult = dispatched("movie.added", movie_id=catalogue.adult.pk, library_id=catalogue.open.pk, title="Adult Film")
    hidden = dispatched("movie.added", movie_id=catalogue.hidden.pk, library_id=catalogue.closed.pk, title="Hidden")
    assert told(family) == {"boss", "mod", "member", "guest", "kid"}
    assert told(adult) == {"boss", "mod", "member", "guest"}  # the kids role stops at 10
    assert told(hidden) == {"boss", "mod"}  # moderators may view every library
    episode = catalogue.grim_episode
    grim = dispatched("episode.added", episode_id=episode.pk, show_id=episode.show_id, library_id=catalogue.shows.pk)
    assert "kid" not in told(grim) and "member" in told(grim)


def test_personal_channels_get_only_what_their_owner_may_see(people, catalogue, webhook, ntfy):
    kid_channel = services.agent_create(name="n", kind="ntfy", owner=people.kids, url="ntfy://ntfy.invalid/k")
    member_channel = services.agent_create(
        name="n", kind="ntfy", owner=people.member, url="ntfy://ntfy.invalid/m", events=["movie.available"]
    )
    services.preference_update(user=people.kids, events=["media"])
    event = dispatched("movie.available", movie_id=catalogue.adult.pk, library_id=catalogue.open.pk, title="Adult")
    agents = set(NotificationDelivery.objects.filter(event=event).values_list("agent_id", flat=True))
    assert member_channel.pk in agents and kid_channel.pk not in agents


def test_a_playback_event_names_an_item_the_manager_must_see_too(people, catalogue):
    everyone_wants(people, "playback")
    event = dispatched(
        "playback.started",
        user_id=people.member.pk,
        item_kind="movie",
        item_id=catalogue.adult.pk,
        title="Adult Film",
        device="TV",
    )
    assert told(event) == {"boss", "mod", "member"}  # not the guest: someone else's playback


def test_requesters_and_subscribers_hear_of_their_request_by_default(people):
    payload = {"request_id": 1, "title": "Heat", "media_kind": "movie", "requester_id": people.member.pk}
    approved = dispatched("request.approved", **payload, subscriber_ids=[people.guest.pk], by_id=people.admin.pk)
    assert told(approved) == {"member", "guest"}
    # New requests are for managers who opt in: nobody did, so the event is not even recorded.
    assert delivery.event_publish(event=events.Event(name="request.created", payload=payload)) == []
    assert not NotificationEvent.objects.filter(name="request.created").exists()
    services.preference_update(user=people.moderator, events=["request.created"])
    assert told(dispatched("request.created", **payload, subscriber_ids=[])) == {"mod"}


def test_managers_hear_of_security_and_system_events_others_never_do(people):
    services.preference_update(user=people.member, events=["security", "system"])
    lockout = dispatched("security.lockout", scope="username", key="alice", username="alice", failures=5)
    startup = dispatched("system.startup", process="worker")
    assert told(lockout) == told(startup) == {"boss", "mod"}


def test_muted_events_are_not_told_even_by_default(people):
    services.preference_update(user=people.moderator, muted=["system.startup"])
    assert told(dispatched("system.startup", process="web")) == {"boss"}


def test_in_app_can_be_turned_off(people):
    services.preference_update(user=people.admin, in_app=False)
    assert told(dispatched("system.startup", process="web")) == {"mod"}


def test_operator_agents_follow_their_events_and_conditions(people, catalogue, webhook):
    every = make_agent(name="all media", url=webhook.url, secret=SECRET, events=["media"])
    open_only = make_agent(name="open", url=webhook.url, secret=SECRET, events=["movie.*"], libraries=[catalogue.open])
    episodes = make_agent(name="eps", url=webhook.url, secret=SECRET, events=["*"], media_kinds=["episode"])
    about_member = make_agent(name="m", url=webhook.url, secret=SECRET, events=["request"], users=[people.member])
    make_agent(name="off", url=webhook.url, secret=SECRET, events=["*"], enabled=False)

    def agents(event) -> set[str]:
        return set(NotificationDelivery.objects.filter(event=event).values_list("agent__name", flat=True))

    hidden = dispatched("movie.added", movie_id=catalogue.hidden.pk, library_id=catalogue.closed.pk, title="H")
    assert agents(hidden) == {every.name}
    family = dispatched("movie.added", movie_id=catalogue.family.pk, library_id=catalogue.open.pk, title="F")
    assert agents(family) == {every.name, open_only.name}
    episode = dispatched("episode.added", episode_id=catalogue.grim_episode.pk, library_id=catalogue.shows.pk)
    assert agents(episode) == {every.name, episodes.name}
    request = dispatched("request.failed", request_id=1, title="x", media_kind="movie", requester_id=people.member.pk)
    assert agents(request) == {about_member.name}


def test_events_nobody_listens_to_are_not_recorded(people):
    delivery.event_publish(event=events.Event(name="auth.login", payload={"user_id": people.admin.pk}))
    assert not NotificationEvent.objects.exists()
    services.preference_update(user=people.admin, events=["auth.login"])
    assert told(dispatched("auth.login", user_id=people.admin.pk)) == {"boss"}


def test_a_routing_change_made_elsewhere_reaches_the_next_batch_of_events(people):
    """A scan's events are delivered in batches that read the routing once; another process's change shows next."""
    services.preference_update(user=people.admin, events=["auth.login"])

    def login() -> events.Event:
        return events.Event(name="auth.login", payload={"user_id": people.admin.pk})

    first = [login(), login(), login()]
    events.deliver_many(first)
    assert [told(NotificationEvent.objects.get(event_id=event.id)) for event in first] == [{"boss"}] * 3
    # Another process turns it off: its rows change and it renews the shared token; no signal reaches this one.
    NotificationPreference.objects.filter(user=people.admin).update(events=[])
    cache.set(routing.TOKEN_KEY, "changed elsewhere", timeout=None)
    later = login()
    events.deliver_many([later])
    assert not NotificationEvent.objects.filter(event_id=later.id).exists()


def test_an_event_published_twice_is_recorded_once(people):
    event = events.Event(name="system.startup", payload={"process": "web"})
    delivery.event_publish(event=event)
    assert delivery.event_publish(event=event) == []
    assert Notification.objects.count() == 2


def test_default_patterns():
    assert selectors.default_patterns(user=None) == []
