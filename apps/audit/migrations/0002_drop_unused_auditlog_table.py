"""Drop the empty `auditlog_logentry` table that django-auditlog 3.4 creates even when its model is swapped.

Its migrations do not mark LogEntry swappable (jazzband/django-auditlog#804, fixed upstream by #805 after
3.4.1), so the table exists unused, and its foreign key to django_content_type breaks `flush`.
A table that holds rows is left alone.
"""

from django.db import migrations

TABLE = "auditlog_logentry"


def drop_if_empty(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    quoted = schema_editor.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {quoted} LIMIT 1")  # noqa: S608 - a constant table name
        if cursor.fetchone() is not None:
            return
    schema_editor.execute(f"DROP TABLE {quoted}" + (" CASCADE" if connection.vendor == "postgresql" else ""))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_if_empty, migrations.RunPython.noop)]
