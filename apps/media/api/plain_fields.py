"""A serializer's plain fields applied to rows read with `.values()`: the same output, without a serializer per call.

A DRF ModelSerializer builds its fields (introspecting the model, deep-copying declared fields) each time one is made,
and reads every value through model instances; on a detail that is most of the cost after the queries. The field
objects of plain columns (text, numbers, dates, choices, lists) hold nothing of a request, so they are built once per
process here and their `to_representation` is applied to column values. Nested and computed fields are given by the
caller; the serializer class stays the schema and tests compare both outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property

from rest_framework import serializers


class PlainFields:
    """The fields of `serializer_class` in its order; those named in `computed` are the caller's to give."""

    def __init__(self, serializer_class: type[serializers.Serializer], *, computed: frozenset[str] = frozenset()):
        self._serializer_class = serializer_class
        self._computed = computed

    @cached_property
    def _plan(self) -> list[tuple[str, str | None, Callable | None]]:
        plan = []
        for name, field in self._serializer_class().fields.items():
            if name in self._computed:
                plan.append((name, None, None))
            elif isinstance(field, serializers.PrimaryKeyRelatedField):
                plan.append((name, f"{field.source}_id", None))  # the key itself, as PKOnlyObject gives it
            elif isinstance(
                field, serializers.BaseSerializer | serializers.SerializerMethodField | serializers.ManyRelatedField
            ) or ("." in field.source or field.source == "*"):
                raise TypeError(f"{self._serializer_class.__name__}.{name} is not a plain column: name it as computed")
            else:
                plan.append((name, field.source, field.to_representation))
        return plan

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The columns (or annotations) the plain fields read, for `.values(*columns)`."""
        return tuple(column for _, column, _ in self._plan if column is not None)

    def render(self, row: Mapping, computed: Mapping | None = None) -> dict:
        """The payload of one row: plain fields from its columns (None stays None, as DRF does), the rest given."""
        data = {}
        for name, column, to_representation in self._plan:
            if column is None:
                data[name] = computed[name]
                continue
            value = row[column]
            data[name] = value if value is None or to_representation is None else to_representation(value)
        return data
