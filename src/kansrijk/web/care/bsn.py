"""The BSN (burgerservicenummer): validated with the elfproef on input and kept only as a keyed
hash (HMAC-SHA-256 with ``settings.KANSRIJK_BSN_KEY``), so the same person can be matched
without the number being stored. The BSN itself never reaches the database, a log or a page."""

from __future__ import annotations

import hmac

from django.conf import settings

from kansrijk.pseudonym import PseudonymKey

#: Domain separation: this key hashes BSNs of care clients and nothing else.
_DOMAIN = b"kansrijk-care-bsn\x00"
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalise_bsn(value: str) -> str:
    """Digits only (spaces, dots and dashes dropped); 8 digits get their leading zero back."""
    digits = "".join(ch for ch in value if ch not in " .-\t")
    return "0" + digits if len(digits) == 8 and digits.isdigit() else digits


def is_valid_bsn(value: str) -> bool:
    """The elfproef: 9 digits, not all zero, weighted sum (9..2, -1) divisible by 11."""
    digits = normalise_bsn(value)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or int(digits) == 0:
        return False
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def _key() -> PseudonymKey:
    return PseudonymKey(bytes.fromhex(settings.KANSRIJK_BSN_KEY))


def bsn_hash(value: str) -> str:
    """The keyed hash (64 hex digits) of a valid BSN; ValueError for an invalid one (the
    message never holds the number)."""
    if not is_valid_bsn(value):
        raise ValueError("not a valid BSN (elfproef)")
    message = _DOMAIN + normalise_bsn(value).encode("ascii")
    return hmac.digest(_key().secret, message, "sha256").hex()
