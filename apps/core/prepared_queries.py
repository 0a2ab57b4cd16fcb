"""Queries the ORM compiles once per process and runs many times with a new key: for the hot reads of a detail.

Compiling a queryset to SQL (resolving lookups, joins, ordering, the select list) costs a few hundred microseconds of
CPU each time, far more than running a small indexed query; a title's detail made seven such reads. A prepared
query is a `.values()` queryset built once with a marker in place of its key: its SQL and parameters are kept, and
each call runs that SQL with the marker replaced, then converts the values as the ORM would (dates on SQLite, JSON).
Only for queries whose SQL does not depend on the key's value (one `=` key, no lists of varying length).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

MARKER = -7_301_946_105  # a key no row has: found among the compiled parameters, replaced by each call's key


class PreparedValues:
    """`build(key).values(*columns)` as a list of dicts, compiled on first use (per database vendor)."""

    def __init__(self, build: Callable[[int], QuerySet], columns: Sequence[str]) -> None:
        self._build = build
        self._columns = tuple(columns)
        self._compiled: dict[str, tuple] = {}

    def _compile(self, connection) -> tuple:
        queryset = self._build(MARKER).values_list(*self._columns)
        compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        marks = [i for i, param in enumerate(params) if param == MARKER]
        if not marks:
            raise ValueError("a prepared query must use its key as a parameter")
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return sql, tuple(params), marks, list(converters.items())

    def rows(self, key: int) -> list[dict]:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            compiled = self._compiled[connection.vendor] = self._compile(connection)
        sql, params, marks, converters = compiled
        params = list(params)
        for i in marks:
            params[i] = key
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for pos, (convs, expression) in converters:
                    value = row[pos]
                    for converter in convs:
                        value = converter(value, expression, connection)
                    row[pos] = value
        return [dict(zip(self._columns, row, strict=True)) for row in rows]
