"""Listing indexes the web grid reads without the table: visibility columns plus the facets or the sort key.

movie_facets replaces movie_listing (its first three columns): the count and the year and certification choices
of a library become one index-only scan. The by_title / by_added / by_year indexes let a deep page skip its titles
in the index (apps/web/library_pager.py). Plain B-tree indexes: SQLite builds them too.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('libraries', '0004_metadata'),
        ('media', '0007_search_knn_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='movie',
            name='movie_listing',
        ),
        migrations.AddIndex(
            model_name='movie',
            index=models.Index(fields=['library', 'has_main_file', 'age_rating', 'year', 'certification'], name='movie_facets'),
        ),
        migrations.AddIndex(
            model_name='movie',
            index=models.Index(fields=['library', 'sort_title', 'id', 'has_main_file', 'age_rating'], name='movie_by_title'),
        ),
        migrations.AddIndex(
            model_name='movie',
            index=models.Index(fields=['library', 'added_at', 'id', 'has_main_file', 'age_rating'], name='movie_by_added'),
        ),
        migrations.AddIndex(
            model_name='movie',
            index=models.Index(fields=['library', 'year', 'id', 'has_main_file', 'age_rating'], name='movie_by_year'),
        ),
        migrations.AddIndex(
            model_name='show',
            index=models.Index(fields=['library', 'age_rating', 'year', 'certification'], name='show_facets'),
        ),
        migrations.AddIndex(
            model_name='show',
            index=models.Index(fields=['library', 'sort_title', 'id', 'age_rating'], name='show_by_title'),
        ),
        migrations.AddIndex(
            model_name='show',
            index=models.Index(fields=['library', 'added_at', 'id', 'age_rating'], name='show_by_added'),
        ),
        migrations.AddIndex(
            model_name='show',
            index=models.Index(fields=['library', 'year', 'id', 'age_rating'], name='show_by_year'),
        ),
    ]
