"""manage.py secrets_reencrypt: after a key rotation, encrypt every stored secret under the new key."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.core.fields import secrets_reencrypt


class Command(BaseCommand):
    help = (
        "Encrypt every stored secret (agent URLs and secrets, Radarr/Sonarr keys) under the current "
        "REVENGE_SECRET_KEY; run it after a rotation, then drop the old key from REVENGE_SECRET_KEY_FALLBACKS."
    )

    def handle(self, *args, **options) -> None:
        changed = secrets_reencrypt()
        self.stdout.write(self.style.SUCCESS(f"{changed} stored secret(s) encrypted under the current key."))
