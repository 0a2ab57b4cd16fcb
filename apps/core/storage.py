"""Static files storage: hashed, compressed names, and a plain URL for a file not collected yet."""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Like WhiteNoise's manifest storage, but a missing `collectstatic` degrades pages instead of a 500."""

    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError:
            return StaticFilesStorage.url(self, name)
