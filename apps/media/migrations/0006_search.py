"""Search indexes: trigram GIN indexes over accent-folded text on PostgreSQL, an FTS5 trigram table on SQLite."""

from django.db import migrations

# (table, searched columns, kind number: the SQLite rowid is id * 4 + number)
TARGETS = (
    ("media_movie", ("title", "original_title"), 0),
    ("media_show", ("title", "original_title"), 1),
    ("media_person", ("name",), 2),
    ("media_collection", ("name",), 3),
)


def joined(columns: tuple[str, ...], alias: str = "") -> str:
    """The text searched, spelled as apps/media/search/postgres.py spells it (the indexes must match)."""
    return " || ' ' || ".join(f"{alias}{column}" for column in columns)


POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes the fold indexable.
    "CREATE OR REPLACE FUNCTION revenge_fold(text) RETURNS text AS "
    "$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$ "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT",
    *(
        f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin (revenge_fold(({joined(columns)})) gin_trgm_ops)"
        for table, columns, _ in TARGETS
    ),
]
POSTGRES_REVERSE = [
    *(f"DROP INDEX IF EXISTS {table}_search" for table, _, _ in TARGETS),
    "DROP FUNCTION IF EXISTS revenge_fold(text)",
]


def sqlite_statements(table: str, columns: tuple[str, ...], number: int) -> list[str]:
    insert = (
        f"INSERT INTO media_search(rowid, body) VALUES (NEW.id * 4 + {number}, revenge_fold({joined(columns, 'NEW.')}));"
    )
    remove = f"DELETE FROM media_search WHERE rowid = OLD.id * 4 + {number};"
    return [
        f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN {remove} {insert} END",
        f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"INSERT INTO media_search(rowid, body) SELECT id * 4 + {number}, revenge_fold({joined(columns)}) FROM {table}",
    ]


SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS media_search USING fts5(body, tokenize='trigram')",
    *(statement for target in TARGETS for statement in sqlite_statements(*target)),
]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {t}_search_{when}" for t, _, _ in TARGETS for when in ("insert", "update", "delete")),
    "DROP TABLE IF EXISTS media_search",
]


def run(schema_editor, *, postgres: list[str], sqlite: list[str]) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        from apps.media.search.sqlite import fold_register  # the triggers and the backfill call revenge_fold

        fold_register(sender=None, connection=connection)
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("media", "0005_metadata")]

    operations = [
        migrations.RunPython(
            lambda apps, editor: run(editor, postgres=POSTGRES, sqlite=SQLITE),
            lambda apps, editor: run(editor, postgres=POSTGRES_REVERSE, sqlite=SQLITE_REVERSE),
        )
    ]
