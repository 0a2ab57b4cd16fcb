"""Queries the ORM compiles once per process and runs many times with a new key: for the hot reads of a detail.

Compiling a queryset to SQL (resolving lookups, joins, ordering, the select list) costs a few hundred microseconds of
CPU each time, far more than running a small indexed query; a title's detail made seven such reads. A prepared
query is a `.values()` queryset built once with a marker in place of its key: its SQL and parameters are kept, and
each call runs that SQL with the marker replaced, then converts the values as the ORM would (dates on SQLite, JSON).
The key is one id (`field=key`) or a tuple of ids (`field__in=key`): a tuple compiles once per length (a list page
asks for 20 or 50 ids, nearly always). Only for queries whose SQL does not depend on the key's values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

MARKER = -7_301_946_105  # a key no row has: found among the compiled parameters, replaced by each call's key
NOTHING = ("no row",)  # the compiled form of a query that matches no row whatever its key
MOST_SHAPES = 64  # compiled lengths kept per query; past this a new length is compiled for its call only


class PreparedValues:
    """`build(key).values(*columns)` as a list of dicts, compiled on first use (per database vendor and key length)."""

    def __init__(self, build: Callable[[int | tuple[int, ...]], QuerySet], columns: Sequence[str]) -> None:
        self._build = build
        self._columns = tuple(columns)
        self._compiled: dict[tuple[str, int | None], tuple] = {}

    @property
    def columns(self) -> tuple[str, ...]:
        return self._columns

    def _compile(self, shape: int | None) -> tuple:
        markers = MARKER if shape is None else tuple(MARKER - i for i in range(shape))
        queryset = self._build(markers).values_list(*self._columns)
        compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        place = {marker: n for n, marker in enumerate((markers,) if shape is None else markers)}
        marks = [(i, place[param]) for i, param in enumerate(params) if isinstance(param, int) and param in place]
        if len({n for _, n in marks}) != len(place):
            raise ValueError("a prepared query must use each of its key's values as a parameter")
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return sql, tuple(params), marks, list(converters.items())

    def rows(self, key: int | tuple[int, ...]) -> list[dict]:
        """The rows for `key`; a tuple of ids without any asks the database nothing."""
        shape = None if isinstance(key, int) else len(key)
        if shape == 0:
            return []
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get((connection.vendor, shape))
        if compiled is None:
            try:
                compiled = self._compile(shape)
            except EmptyResultSet:  # a condition no row can meet (`pk__in=[]`): the ORM asks nothing either
                compiled = NOTHING
            if len(self._compiled) < MOST_SHAPES:
                self._compiled[(connection.vendor, shape)] = compiled
        if compiled is NOTHING:
            return []
        sql, params, marks, converters = compiled
        values = (key,) if shape is None else key
        params = list(params)
        for i, n in marks:
            params[i] = values[n]
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
