"""Encryption at rest for the most sensitive answers, with keys from the environment.

FIELD_ENCRYPTION_KEYS lists Fernet keys, newest first: new values are encrypted with the
first, and every listed key still decrypts, so a key is rotated by putting a new one in
front and running `manage.py reencrypt_intake`, after which the old one can be dropped.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "enc:"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value  # written before encryption was turned on
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: is a key missing?"
        ) from None


def rotate(value: str) -> str:
    """The same plaintext, encrypted again with the newest key."""
    if not value.startswith(PREFIX):
        return encrypt(value)
    return PREFIX + fernet().rotate(value[len(PREFIX) :].encode()).decode()


def blind_index(text: str) -> str:
    """A keyed hash of a value, so staff can filter on it without it being readable."""
    key = settings.FIELD_INDEX_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]
