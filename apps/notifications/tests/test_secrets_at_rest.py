"""Agent URLs and secrets, Radarr/Sonarr keys and webhook secrets are stored encrypted, read back plain,
survive a key rotation, and the migration encrypts what was stored in plain text before."""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection

from apps.core.crypto import PREFIX
from apps.notifications.models import NotificationAgent
from apps.notifications.tests.helpers import make_agent
from apps.requests.models import ArrServer
from apps.requests.webhooks import arr_server_for_token

pytestmark = pytest.mark.django_db
OLD, NEW = "old-secret-key-" + "o" * 40, "new-secret-key-" + "n" * 40
URL, SECRET = "https://discord.example/api/webhooks/1/Tok3n?token=abc", "signing-secret-0123456789"


def raw(table: str, pk: int, *columns: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test names
        return cursor.fetchone()


def test_agent_url_and_secret_are_encrypted_in_the_database_and_read_back_plain():
    agent = make_agent(url=URL, secret=SECRET, allow_private_network=False)
    stored_url, stored_secret = raw("notifications_notificationagent", agent.pk, "url", "secret")
    for stored, plain in ((stored_url, URL), (stored_secret, SECRET)):
        assert stored.startswith(PREFIX) and plain not in stored and "Tok3n" not in stored
    again = NotificationAgent.objects.get(pk=agent.pk)
    assert (again.url, again.secret) == (URL, SECRET)


def test_arr_keys_and_webhook_secrets_are_encrypted_and_the_webhook_still_finds_its_server():
    server = ArrServer.objects.create(kind="radarr", name="R", base_url="http://radarr.invalid", api_key="K" * 32)
    stored_key, stored_secret = raw("requests_arrserver", server.pk, "api_key", "webhook_secret")
    assert stored_key.startswith(PREFIX) and "K" * 32 not in stored_key
    assert stored_secret.startswith(PREFIX) and server.webhook_secret not in stored_secret
    assert ArrServer.objects.get(pk=server.pk).api_key == "K" * 32
    assert arr_server_for_token(kind="radarr", token=server.webhook_secret) == server
    assert arr_server_for_token(kind="radarr", token=stored_secret) is None


def test_a_rotated_key_still_decrypts_and_secrets_reencrypt_moves_everything_to_the_new_key(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    agent = make_agent(url=URL, secret=SECRET, allow_private_network=False)
    server = ArrServer.objects.create(kind="sonarr", name="S", base_url="http://sonarr.invalid", api_key="key-1")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert NotificationAgent.objects.get(pk=agent.pk).secret == SECRET
    assert ArrServer.objects.get(pk=server.pk).api_key == "key-1"
    out = io.StringIO()
    call_command("secrets_reencrypt", stdout=out)
    assert "4 stored secret(s)" in out.getvalue()  # url, secret, api_key, webhook_secret
    settings.SECRET_KEY_FALLBACKS = []  # the old key is gone: everything was moved to the new one
    assert (NotificationAgent.objects.get(pk=agent.pk).url, ArrServer.objects.get(pk=server.pk).api_key) == (
        URL,
        "key-1",
    )


def test_without_the_old_key_a_secret_reads_empty_instead_of_failing_the_page(settings, caplog):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    agent = make_agent(url=URL, secret=SECRET, allow_private_network=False)
    settings.SECRET_KEY = NEW
    again = NotificationAgent.objects.get(pk=agent.pk)
    assert (again.url, again.secret) == ("", "")
    assert "REVENGE_SECRET_KEY_FALLBACKS" in caplog.text


def test_the_migration_encrypts_rows_stored_in_plain_text_and_back():
    agent = make_agent(url=URL, secret=SECRET, allow_private_network=False)
    table = "notifications_notificationagent"
    with connection.cursor() as cursor:  # as the rows were before the migration
        cursor.execute(f"UPDATE {table} SET url = %s, secret = %s WHERE id = %s", [URL, SECRET, agent.pk])  # noqa: S608
    assert NotificationAgent.objects.get(pk=agent.pk).url == URL  # plain text is still read meanwhile
    migration = importlib.import_module("apps.notifications.migrations.0002_private_network_and_encrypted_secrets")
    forwards, backwards = migration.ENCRYPT

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    forwards(None, editor)
    stored_url, stored_secret = raw(table, agent.pk, "url", "secret")
    assert stored_url.startswith(PREFIX) and stored_secret.startswith(PREFIX) and SECRET not in stored_secret
    forwards(None, editor)  # twice is the same as once
    assert raw(table, agent.pk, "url") == (stored_url,)
    assert (NotificationAgent.objects.get(pk=agent.pk).url, NotificationAgent.objects.get(pk=agent.pk).secret) == (
        URL,
        SECRET,
    )
    backwards(None, editor)
    assert raw(table, agent.pk, "url", "secret") == (URL, SECRET)
