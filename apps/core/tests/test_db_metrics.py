"""Database latency through django-prometheus' backend: each query is timed and counted, failed ones apart."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from apps.core.testing.scrape import scrape, value

LABELS = {"alias": "default", "vendor": "postgresql"}


def test_the_database_backend_is_the_instrumented_one(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django_prometheus.db.backends.postgresql"


def test_a_slow_query_lands_in_the_latency_histogram(client, db):
    before = scrape(client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.3)")
    after = scrape(client)
    histogram = "django_db_query_duration_seconds"
    assert value(after, f"{histogram}_sum", **LABELS) - value(before, f"{histogram}_sum", **LABELS) >= 0.3
    # The slow one fell past the 0.25 s bucket: fewer queries under it than in all.
    under = value(after, f"{histogram}_bucket", le="0.25", **LABELS) - value(
        before, f"{histogram}_bucket", le="0.25", **LABELS
    )
    every = value(after, f"{histogram}_count", **LABELS) - value(before, f"{histogram}_count", **LABELS)
    assert (f"{histogram}_bucket", frozenset({"le": "0.25", **LABELS}.items())) in after
    assert every >= 1 and under <= every - 1


def test_a_failing_query_is_counted_as_an_error(client, db):
    before = scrape(client)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_at_all")
    after = scrape(client)
    errors = {
        labels: count - before.get((name, labels), 0)
        for (name, labels), count in after.items()
        if name == "django_db_errors_total" and ("alias", "default") in labels
    }
    assert sum(errors.values()) == 1, errors
