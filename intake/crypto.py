"""Encryption at rest for the most sensitive answers, with keys from the environment.

FIELD_ENCRYPTION_KEYS lists Fernet keys, newest first: new values are encrypted with the
first, and every listed key still decrypts, so a key is rotated by putting a new one in
front and running `manage.py reencrypt_intake`, after which the old one can be dropped.

The plaintext is padded before it is encrypted, so the length of a stored value does not
give the answer away: every choice and list of choices fits the first bucket and gives the
same length; longer text is rounded up to the next bucket.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PREFIX = "enc:"
# Values written from issue 11 on are padded; older ones ("enc:") are read as they are.
PADDED_PREFIX = "enc2:"
FIRST_BUCKET = 128  # bytes: every choice field and the longest list of substances
BUCKET = 256


def pad(data: bytes) -> bytes:
    """ISO/IEC 7816-4 padding: 0x80, then zero bytes up to the bucket's size."""
    size = FIRST_BUCKET if len(data) < FIRST_BUCKET else (len(data) // BUCKET + 1) * BUCKET
    return data + b"\x80" + b"\x00" * (size - len(data) - 1)


def unpad(data: bytes) -> bytes:
    end = data.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise ValueError("A stored value's padding is damaged.")
    return end[:-1]


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return PADDED_PREFIX + fernet().encrypt(pad(text.encode())).decode()


def decrypt(value: str) -> str:
    for prefix, unpadded in ((PADDED_PREFIX, unpad), (PREFIX, bytes)):
        if value.startswith(prefix):
            try:
                data = fernet().decrypt(value[len(prefix) :].encode())
            except InvalidToken:
                raise ValueError(
                    "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
                    "is a key missing?"
                ) from None
            return unpadded(data).decode()
    return value  # written before encryption was turned on


def rotate(value: str) -> str:
    """The same plaintext, encrypted again with the newest key (and padded, if it was not)."""
    return encrypt(decrypt(value))


def blind_index(text: str) -> str:
    """A keyed hash of a value, so staff can filter on it without it being readable."""
    key = settings.FIELD_INDEX_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]
