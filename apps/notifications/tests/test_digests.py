"""Digests: what was added yesterday (or last week) that each person may see, by mail and in the app, once."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from apps.core.testing.servers import wait_until
from apps.media.models import Episode, Movie
from apps.notifications import delivery, digests, services, tasks
from apps.notifications.models import Notification, NotificationDelivery, NotificationEvent


def added(item, when) -> None:
    type(item).objects.filter(pk=item.pk).update(added_at=when)


def mail_to(smtp, address: str) -> str:
    [mail] = [m for recipients, m in smtp.messages if recipients == [address]]
    return mail["Subject"] + "\n" + mail.get_payload()


def test_each_person_gets_a_digest_of_only_what_they_may_see(worker, people, catalogue, smtp):
    yesterday = timezone.now() - timedelta(days=1)
    for item in (catalogue.family, catalogue.adult, catalogue.hidden, catalogue.grim_episode):
        added(item, yesterday)
    Movie.objects.create(library=catalogue.open, match_key="new", title="Too New", year=2020, has_main_file=True)
    for user in (people.member, people.kids):
        services.agent_create(kind="email", owner=user)
        services.preference_update(user=user, digest="daily")
    services.preference_update(user=people.guest, digest="daily")  # no mail channel: in the app only

    assert tasks.digests_send_due.delay().get(timeout=30) == 2
    assert wait_until(lambda: len(smtp.messages) == 2, timeout=30), smtp.messages
    member = mail_to(smtp, "member@example.org")
    assert "Your daily digest: 2 movies, 1 episode" in member
    assert "Family Film (2001)" in member and "Adult Film (2001)" in member and "Grim Show S1E1" in member
    assert "Hidden Film" not in member and "Too New" not in member
    kid = mail_to(smtp, "kid@example.org")
    assert "Family Film" in kid and "Adult Film" not in kid and "Grim Show" not in kid and "Hidden" not in kid
    assert Notification.objects.get(user=people.guest, name="digest.daily").title.startswith("Your daily digest")

    # The hourly task runs again: nobody gets yesterday's digest twice.
    assert tasks.digests_send_due.delay().get(timeout=30) == 0
    assert NotificationEvent.objects.filter(name="digest.daily").count() == 3


@pytest.mark.django_db
def test_nothing_new_means_no_digest(people, catalogue):
    services.preference_update(user=people.member, digest="weekly")
    for movie in Movie.objects.all():
        added(movie, timezone.now() - timedelta(days=30))
    Episode.objects.update(added_at=timezone.now() - timedelta(days=30))
    assert digests.digests_send_due() == []
    assert not NotificationEvent.objects.exists()


@pytest.mark.django_db
def test_a_weekly_digest_covers_last_monday_to_this_monday(people, catalogue, settings, smtp):
    now = timezone.make_aware(datetime(2026, 3, 12, 9, 0))  # a Thursday
    key, start, end = digests.digest_period(frequency="weekly", now=now)
    assert key == "2026-W10" and (start.date().isoformat(), end.date().isoformat()) == ("2026-03-02", "2026-03-09")
    added(catalogue.family, start + timedelta(days=2))
    added(catalogue.adult, end + timedelta(hours=1))
    services.agent_create(kind="email", owner=people.member)
    services.preference_update(user=people.member, digest="weekly")
    [pk] = digests.digests_send_due(now=now)
    assert delivery.delivery_attempt(delivery_id=pk).status == NotificationDelivery.Status.DELIVERED
    body = mail_to(smtp, "member@example.org")
    assert "Your weekly digest: 1 movie, 0 episodes" in body and "since 2026-03-02" in body
    assert "Adult Film" not in body
    assert digests.digests_send_due(now=now + timedelta(days=1)) == []  # same week


def test_the_daily_period_is_yesterday_in_the_servers_time_zone(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    now = timezone.make_aware(datetime(2026, 3, 29, 0, 30), timezone=timezone.get_fixed_timezone(60))
    key, start, end = digests.digest_period(frequency="daily", now=now)
    assert key == "2026-03-28" and end - start <= timedelta(days=1)
