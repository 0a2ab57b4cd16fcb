"""(genre, title) indexes on the genre tables, for a genre filter that reads its titles from an index alone.

The many-to-many tables Django makes index (title, genre) and genre alone: "the titles of Crime" then reads the
table rows behind the genre index, 16,000 of them in a 100,000-movie library, to count a filtered grid. These
tables are Django's own (no model holds their Meta), so the indexes are plain SQL that PostgreSQL and SQLite share.
"""

from django.db import migrations

INDEXES = [
    ("media_movie_genres_genre_title", "media_movie_genres", "genre_id, movie_id"),
    ("media_show_genres_genre_title", "media_show_genres", "genre_id, show_id"),
]


class Migration(migrations.Migration):
    dependencies = [("media", "0008_listing_indexes")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} ON {table} ({columns})", f"DROP INDEX {name}")
        for name, table, columns in INDEXES
    ]
