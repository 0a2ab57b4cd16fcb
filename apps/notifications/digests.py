"""Daily and weekly digests: what was added in a past period that the person may see, once per period."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.media.selectors import episodes_visible_to, movies_visible_to
from apps.notifications import messages, selectors
from apps.notifications.models import Notification, NotificationDelivery, NotificationEvent, NotificationPreference

DIGEST_ITEMS = 50
Digest = NotificationPreference.Digest


def digest_period(*, frequency: str, now: datetime) -> tuple[str, datetime, datetime]:
    """(key, start, end) of the last complete day or ISO week, in the server's time zone."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Digest.WEEKLY:
        end = today - timedelta(days=today.weekday())
        start = end - timedelta(days=7)
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}", start, end
    start = today - timedelta(days=1)
    return start.date().isoformat(), start, today


def digest_send(*, user, frequency: str, now: datetime | None = None) -> list[int]:
    """Make the person's digest of the last period, unless made before or empty; returns deliveries to queue."""
    now = now or timezone.now()
    key, start, end = digest_period(frequency=frequency, now=now)
    event_id = f"digest-{frequency}-{user.pk}-{key}"
    if NotificationEvent.objects.filter(event_id=event_id).exists():
        return []
    # Only through the catalogue's selectors: nobody reads of media they may not see.
    movies = movies_visible_to(user=user).filter(added_at__gte=start, added_at__lt=end)
    episodes = episodes_visible_to(user=user).filter(added_at__gte=start, added_at__lt=end)
    movie_count, episode_count = movies.count(), episodes.count()
    if not (movie_count or episode_count):
        return []
    movie_rows = [
        {"id": m.pk, "title": m.title, "year": m.year} for m in movies.order_by("sort_title", "year")[:DIGEST_ITEMS]
    ]
    episode_rows = [
        {
            "id": e.pk,
            "show": e.show.title,
            "season": e.season.season_number,
            "episode": e.episode_number,
            "title": e.title,
        }
        for e in episodes.order_by("show__sort_title", "season__season_number", "episode_number")[
            : DIGEST_ITEMS - len(movie_rows)
        ]
    ]
    payload = {
        "user_id": user.pk,
        "frequency": frequency,
        "period": key,
        "since": start.date().isoformat(),
        "movies": movie_rows,
        "episodes": episode_rows,
        "movie_count": movie_count,
        "episode_count": episode_count,
        "more": movie_count + episode_count - len(movie_rows) - len(episode_rows),
    }
    message = messages.message_render("digest", payload)
    preference = selectors.preference_of(user=user)
    with transaction.atomic():
        event, created = NotificationEvent.objects.get_or_create(
            event_id=event_id,
            defaults={
                "name": f"digest.{frequency}",
                "category": "digest",
                "payload": payload,
                "occurred_at": now,
                "message": message.as_dict(),
            },
        )
        if not created:
            return []
        NotificationDelivery.objects.bulk_create(
            [
                NotificationDelivery(event=event, agent=c, next_attempt_at=now)
                for c in selectors.digest_channels_of(user=user)
            ]
        )
        if preference.in_app:
            Notification.objects.create(
                user=user, event=event, name=event.name, title=message.title[:300], body=message.body
            )
    return list(event.deliveries.values_list("pk", flat=True))


def digests_send_due(*, now: datetime | None = None) -> list[int]:
    """Every person's due digest; returns the deliveries to queue."""
    preferences = (
        NotificationPreference.objects.exclude(digest=Digest.OFF).filter(user__is_active=True).select_related("user")
    )
    found: list[int] = []
    for preference in preferences:
        found += digest_send(user=preference.user, frequency=preference.digest, now=now)
    return found
