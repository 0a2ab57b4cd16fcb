"""Encryption at rest of stored secrets: Fernet keys derived from the secret key and its fallbacks.

Encrypting uses a key derived from SECRET_KEY; decrypting tries it and then each of SECRET_KEY_FALLBACKS,
so that a rotated key (the old one moved to REVENGE_SECRET_KEY_FALLBACKS) keeps every stored value readable.
"""

from __future__ import annotations

import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

logger = logging.getLogger(__name__)
PREFIX = "fernet:"  # marks a stored value as encrypted; a value without it is legacy plain text
INFO = b"revenge field encryption v1"


class SecretUnreadable(ValueError):
    """A stored value no known key opens: the secret key changed and the old one is not a fallback."""


def _derive(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


@functools.lru_cache(maxsize=8)
def _keys(secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_derive(secret_key), *(_derive(key) for key in fallbacks)])


def _current() -> MultiFernet:
    return _keys(settings.SECRET_KEY, tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ()) or ()))


def secret_encrypt(text: str) -> str:
    """The stored form of `text`: PREFIX and a Fernet token under the current key ("" stays "")."""
    if not text:
        return text
    return PREFIX + _current().encrypt(text.encode()).decode()


def secret_decrypt(stored: str) -> str:
    """The plain value of a stored one; legacy plain text (no PREFIX) comes back as it is."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    try:
        return _current().decrypt(stored[len(PREFIX) :].encode()).decode()
    except (InvalidToken, UnicodeDecodeError) as exc:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted: was REVENGE_SECRET_KEY changed without listing the old key "
            "in REVENGE_SECRET_KEY_FALLBACKS?"
        ) from exc


def secret_is_current(stored: str) -> bool:
    """Whether a stored value is encrypted under the current key (False: plain text or an older key)."""
    if not stored:
        return True
    if not stored.startswith(PREFIX):
        return False
    try:
        _derive(settings.SECRET_KEY).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True
