"""The BSN (burgerservicenummer): validated with the elfproef on input and kept only as a keyed
hash (HMAC-SHA-256 with ``settings.KANSRIJK_BSN_KEY``), so the same person can be matched
without the number being stored. The BSN itself never reaches the database, a log or a page."""

from __future__ import annotations

import hmac

from django.conf import settings

from kansrijk.coordination.identifying import is_valid_bsn, normalise_bsn
from kansrijk.pseudonym import PseudonymKey

__all__ = ["bsn_hash", "is_valid_bsn", "normalise_bsn"]

#: Domain separation: this key hashes BSNs of care clients and nothing else.
_DOMAIN = b"kansrijk-care-bsn\x00"


def _key() -> PseudonymKey:
    return PseudonymKey(bytes.fromhex(settings.KANSRIJK_BSN_KEY))


def bsn_hash(value: str) -> str:
    """The keyed hash (64 hex digits) of a valid BSN; ValueError for an invalid one (the
    message never holds the number)."""
    if not is_valid_bsn(value):
        raise ValueError("not a valid BSN (elfproef)")
    message = _DOMAIN + normalise_bsn(value).encode("ascii")
    return hmac.digest(_key().secret, message, "sha256").hex()
