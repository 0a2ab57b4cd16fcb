"""Encryption at rest: keys derived from the secret key, rotation through the fallbacks."""

from __future__ import annotations

import pytest

from apps.core.crypto import PREFIX, SecretUnreadable, secret_decrypt, secret_encrypt, secret_is_current

OLD, NEW = "old-secret-key-" + "o" * 40, "new-secret-key-" + "n" * 40


def test_a_value_is_encrypted_each_time_anew_and_read_back(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    first, second = secret_encrypt("apikey-123"), secret_encrypt("apikey-123")
    assert first.startswith(PREFIX) and "apikey-123" not in first and first != second
    assert secret_decrypt(first) == secret_decrypt(second) == "apikey-123"
    assert secret_encrypt("") == "" and secret_decrypt("") == ""
    assert secret_decrypt("legacy plain text") == "legacy plain text"


def test_a_rotated_key_keeps_old_values_readable_until_they_are_encrypted_again(settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    stored = secret_encrypt("token")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert secret_decrypt(stored) == "token" and not secret_is_current(stored)
    fresh = secret_encrypt("token")
    assert secret_is_current(fresh)
    settings.SECRET_KEY_FALLBACKS = []
    assert secret_decrypt(fresh) == "token"
    with pytest.raises(SecretUnreadable, match="REVENGE_SECRET_KEY_FALLBACKS"):
        secret_decrypt(stored)


def test_a_tampered_value_is_not_read(settings):
    stored = secret_encrypt("token")
    broken = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with pytest.raises(SecretUnreadable):
        secret_decrypt(broken)
