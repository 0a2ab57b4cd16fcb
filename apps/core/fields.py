"""Model fields of our own: text encrypted at rest (apps.core.crypto)."""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import connection, models, transaction

from apps.core.crypto import PREFIX, SecretUnreadable, secret_decrypt, secret_encrypt, secret_is_current

logger = logging.getLogger(__name__)


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet, key derived from the secret key) and read back plain.

    Each save encrypts anew, so the column cannot be searched or compared in SQL: filter in Python.
    """

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        try:
            return secret_decrypt(value)
        except SecretUnreadable as exc:
            # One unreadable secret must not take the page down: it reads as empty until it is entered again.
            logger.error("%s.%s: %s", self.model.__name__, self.name, exc)
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return secret_encrypt(value) if isinstance(value, str) else value


def _rewrite(connection, table: str, columns: list[str], change) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(map(quote, columns))} FROM {quote(table)}")  # noqa: S608 - our names
        for pk, *values in cursor.fetchall():
            new = [change(value) if value else value for value in values]
            if new != values:
                assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", [*new, pk])  # noqa: S608


def encrypt_columns(table: str, columns: list[str]):
    """A data migration (forwards, backwards) that encrypts the plain text stored in `columns` in place."""

    def forwards(apps, schema_editor) -> None:
        _rewrite(schema_editor.connection, table, columns, lambda v: v if v.startswith(PREFIX) else secret_encrypt(v))

    def backwards(apps, schema_editor) -> None:
        _rewrite(schema_editor.connection, table, columns, secret_decrypt)

    return forwards, backwards


def secrets_reencrypt() -> int:
    """Encrypt every stored secret under the current key (after a rotation, before the old key is dropped from
    REVENGE_SECRET_KEY_FALLBACKS); returns how many values changed. Plain text left from before is encrypted too."""
    changed = 0

    def again(value: str) -> str:
        nonlocal changed
        if secret_is_current(value):
            return value
        changed += 1
        return secret_encrypt(secret_decrypt(value))

    with transaction.atomic():
        for model in apps.get_models():
            columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if columns and model._meta.pk.column == "id":
                _rewrite(connection, model._meta.db_table, columns, again)
    return changed
