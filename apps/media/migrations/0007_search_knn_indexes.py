"""Search KNN indexes: trigram GiST indexes on the folded text that 0006 indexes with GIN, for nearest-first walks.

A GIN index answers "which rows share enough trigrams", so a common word scores thousands of rows; a GiST index
also answers "the nearest rows first" (`ORDER BY query <<-> text LIMIT n`), which apps/media/search/postgres.py
uses. The GIN indexes stay for the `<%` threshold test. Nothing on SQLite (its FTS5 table is unchanged).
"""

from importlib import import_module

from django.db import migrations

targets = import_module("apps.media.migrations.0006_search")  # the same tables and text as the GIN indexes

SIGNATURE_BYTES = 64  # titles are short: a wider signature than the default 12 bytes tells them apart better

POSTGRES = [
    f"CREATE INDEX IF NOT EXISTS {table}_search_knn ON {table} "
    f"USING gist (revenge_fold(({targets.joined(columns)})) gist_trgm_ops(siglen={SIGNATURE_BYTES}))"
    for table, columns, _ in targets.TARGETS
]
POSTGRES_REVERSE = [f"DROP INDEX IF EXISTS {table}_search_knn" for table, _, _ in targets.TARGETS]


class Migration(migrations.Migration):
    dependencies = [("media", "0006_search")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: targets.run(editor, postgres=POSTGRES, sqlite=[]),
            lambda apps, editor: targets.run(editor, postgres=POSTGRES_REVERSE, sqlite=[]),
        )
    ]
