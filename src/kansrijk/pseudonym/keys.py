"""The secret key for pseudonyms: loaded from a file, checked for length, never shown.

A key file holds either hex text (64 or more hex digits, whitespace around it ignored) or
at least 32 raw bytes. Shorter keys are refused: with a short key, pseudonyms of the ~17
million 9-digit BSNs could be reversed by trying every number.
"""

from __future__ import annotations

import string
from pathlib import Path

MIN_KEY_BYTES = 32
_HEX = frozenset(string.hexdigits)


class KeyFileError(ValueError):
    """The key file is missing, unreadable or too short (the message never holds key bytes)."""


class PseudonymKey:
    """Secret key bytes; ``repr`` and ``str`` do not reveal them, so logs cannot leak the key."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_KEY_BYTES:
            raise KeyFileError(
                f"key has {len(secret)} bytes; at least {MIN_KEY_BYTES} are required"
            )
        self._secret = bytes(secret)

    @property
    def secret(self) -> bytes:
        """The key bytes, for HMAC only."""
        return self._secret

    def __repr__(self) -> str:
        return "PseudonymKey(<hidden>)"

    __str__ = __repr__


def load_key(path: Path) -> PseudonymKey:
    """Read a key file: hex text when it is only hex digits, raw bytes otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror}") from None
    text = data.strip()
    try:
        decoded = text.decode("ascii")
    except UnicodeDecodeError:
        decoded = ""
    if decoded and all(ch in _HEX for ch in decoded):
        if len(decoded) % 2:
            raise KeyFileError(f"key file {path} holds an odd number of hex digits")
        return PseudonymKey(bytes.fromhex(decoded))
    return PseudonymKey(data)
