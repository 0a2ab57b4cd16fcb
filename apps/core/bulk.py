"""bulk_create without the per-value cost of Django's insert compiler, for the indexer's batches.

The SQL and the values are those bulk_create would send: each field's pre_save() and get_db_prep_save(), except
that a plain value (str, int, float, bool, None) of a field of a stock Django type is passed as it is, which is
what get_db_prep_save() returns for it. For a batch of 100 movies the compiler's preparation was a third of a
first scan's time.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connections, models, router, transaction
from django.db.models import AutoField

M = TypeVar("M", bound=models.Model)

# Stock field types whose get_db_prep_save() returns a value of these types unchanged (subclasses may not).
_PLAIN: dict[type, tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.SlugField: (str,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.BooleanField: (bool,),
    models.FloatField: (float,),
}


def _plain_types(field: models.Field) -> tuple[type, ...]:
    if type(field) is models.ForeignKey:
        target = field.target_field
        return (int,) if isinstance(target, AutoField) else ()
    return _PLAIN.get(type(field), ())


def _unnest(connection, fields: list[models.Field]):
    """PostgreSQL's INSERT … SELECT * FROM UNNEST(…) placeholders for these fields, as bulk_create uses them
    (django.db.backends.postgresql.compiler), or None where it would not."""
    if connection.vendor != "postgresql":
        return None
    from django.db.backends.postgresql.compiler import InsertUnnest  # PostgreSQL's own: loads only with it

    types = [(f.target_field if f.is_relation else f).get_internal_type() for f in fields]
    if any(name not in connection.data_types for name in types):
        return None
    return InsertUnnest([f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields])


def objects_insert(objs: list[M]) -> list[M]:
    """Insert new model instances (no primary key set) as `Model.objects.bulk_create(objs)` does, setting their
    primary keys; falls back to bulk_create for anything but plain fields and values."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    returning = opts.db_returning_fields
    fields = [f for f in opts.concrete_fields if not f.generated and not isinstance(f, AutoField)]
    simple = (
        connection.features.can_return_rows_from_bulk_insert
        and returning == [opts.pk]
        and isinstance(opts.pk, AutoField)
        and not opts.parents
        and not any(hasattr(f, "get_placeholder") for f in fields)
        and all(obj.pk is None for obj in objs)
    )
    if not simple:
        return model.objects.bulk_create(objs)
    plain = [_plain_types(f) for f in fields]
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        row = []
        for field, types in zip(fields, plain, strict=True):
            value = field.pre_save(obj, add=True)
            if value is None or type(value) in types:
                row.append(value)
                continue
            if hasattr(value, "resolve_expression"):
                return model.objects.bulk_create(objs)  # nothing was written yet
            row.append(field.get_db_prep_save(value, connection=connection))
        rows.append(row)
    ops, quote = connection.ops, connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"{ops.insert_statement()} {quote(opts.db_table)} ({columns}) "  # names from the model
    returning_sql, returning_params = ops.return_insert_columns(returning)
    size = max(ops.bulk_batch_size(fields, objs), 1)
    placeholder = [["%s"] * len(fields)]
    unnest = _unnest(connection, fields)
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            if unnest is not None and len(part) > 1:  # one array a column, as bulk_create sends on PostgreSQL
                values, params = (
                    ops.bulk_insert_sql(fields, unnest),
                    [list(column) for column in zip(*part, strict=True)],
                )
            else:
                values = ops.bulk_insert_sql(fields, placeholder * len(part))
                params = [value for row in part for value in row]
            cursor.execute(f"{head}{values} {returning_sql}", (*params, *returning_params))
            for obj, (pk,) in zip(objs[start : start + size], ops.fetch_returned_insert_rows(cursor), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using
    return objs


def rows_insert(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Insert tuples of plain values (one per field of `names`) into `model`'s table as they are: no signals, no
    primary keys returned. On PostgreSQL one array a column (a few dumps a batch, not one per value)."""
    if not rows:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    ops, quote = connection.ops, connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"{ops.insert_statement()} {quote(model._meta.db_table)} ({columns}) "  # names from the model
    unnest = _unnest(connection, fields)
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        if unnest is not None:
            sql = f"{head}{ops.bulk_insert_sql(fields, unnest)}"
            for start in range(0, len(rows), 5000):
                cursor.execute(sql, [list(column) for column in zip(*rows[start : start + 5000], strict=True)])
        else:
            sql = f"{head}VALUES ({', '.join(['%s'] * len(fields))})"
            for start in range(0, len(rows), 1000):
                cursor.executemany(sql, rows[start : start + 1000])
