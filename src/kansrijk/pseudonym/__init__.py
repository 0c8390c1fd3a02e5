"""Keyed, deterministic pseudonyms for identifiers (HMAC-SHA-256 with domain separation)."""

from kansrijk.pseudonym.hmac_ids import (
    DOMAINS,
    VERSION,
    normalise,
    normalise_array,
    pseudonym,
    pseudonymise_array,
)
from kansrijk.pseudonym.keys import MIN_KEY_BYTES, KeyFileError, PseudonymKey, load_key

__all__ = [
    "DOMAINS",
    "MIN_KEY_BYTES",
    "VERSION",
    "KeyFileError",
    "PseudonymKey",
    "load_key",
    "normalise",
    "normalise_array",
    "pseudonym",
    "pseudonymise_array",
]
