"""Dashboard fixes: the workers' dot asks the workers (a running one is green), now-playing cards name a movie
with its year for every operator, and direct play says "direct" instead of an empty output."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.console.panels import now_playing, status
from apps.core.models import TaskRun


@pytest.fixture(autouse=True)
def _fresh_dots():
    status.dots_forget()
    yield
    status.dots_forget()


def workers_dot() -> status.Dot:
    status.dots_forget()
    return next(dot for dot in status.dots() if dot.name == "workers")


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_is_a_green_dot(redis_worker):
    dot = workers_dot()
    assert (dot.state, dot.detail) == ("ok", "1 running")


@pytest.mark.django_db
def test_no_worker_is_red_and_a_busy_one_amber():
    assert workers_dot().state == "down"
    TaskRun.objects.create(task_id="t1", name="libraries.scan_run", state="started", started_at=timezone.now())
    cache.delete(status.PING_KEY)
    dot = workers_dot()
    assert dot.state == "warn" and "busy" in dot.detail


@pytest.mark.django_db
def test_the_ping_answer_is_shared_a_few_seconds(monkeypatch):
    asked = []
    real = status.current_app.control.inspect

    def counting(**options):
        asked.append(options)
        return real(**options)

    monkeypatch.setattr(status.current_app.control, "inspect", counting)
    status.workers_answering()
    status.workers_answering()
    assert len(asked) == 1 and asked[0]["timeout"] == status.PING_TIMEOUT


@pytest.mark.django_db
def test_cards_name_the_movie_with_its_year_and_direct_play_plainly(world):
    for user in (world.boss, world.mod):
        cards = {card.id: card for card in now_playing.build(user=user)["cards"]}
        alice = cards.get(str(world.alice_plays.pk))
        if alice is None:
            continue  # the moderator may not see an admin's stream, and so on: the rank rules decide
        assert alice.title == "Heat (1995)"
        assert alice.quality.endswith("→ direct") and "—" not in alice.quality.split("→")[1]
    boss_card = next(c for c in now_playing.build(user=world.boss)["cards"] if c.id == str(world.boss_plays.pk))
    assert boss_card.title == "Alien (1979)" and boss_card.quality.endswith("→ out pending")
