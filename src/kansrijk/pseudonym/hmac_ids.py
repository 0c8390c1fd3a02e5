"""Normalise raw identifiers and turn them into keyed pseudonyms, one value or a whole array.

pseudonym = "v1" + first 30 hex digits of HMAC-SHA-256(key, domain || 0x00 || identifier).
The domain ("person", "birth", ...) keeps equal numbers in different registers from
getting equal pseudonyms; the version label lets a later scheme coexist with this one.
Missing-identifier encodings ("", "000000000", "---------", whitespace) become NULL.
BSN/RIN-like numbers of 8 or 9 digits are left-padded to 9 digits first, because Perined
files read as numbers lose the leading zero.
"""

from __future__ import annotations

import hmac
import re

import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.pseudonym.keys import PseudonymKey

VERSION = "v1"
_HEX_CHARS = 30
#: Domains in use; person-like identifiers share "person" so links survive across tables.
DOMAINS = frozenset({"person", "birth", "trajectory", "claim"})
_MISSING = frozenset({"", "000000000", "---------"})
_EIGHT_DIGITS = re.compile(r"^[0-9]{8}$")


def normalise(identifier: object) -> str | None:
    """Canonical form of one raw identifier, or None when it encodes 'missing'."""
    if identifier is None:
        return None
    text = str(identifier).strip()
    if _EIGHT_DIGITS.match(text):
        text = "0" + text
    return None if text in _MISSING else text


def _digest(key: PseudonymKey, domain: str, identifier: str) -> str:
    if domain not in DOMAINS:
        raise ValueError(f"unknown pseudonym domain {domain!r}")
    message = domain.encode() + b"\x00" + identifier.encode("utf-8")
    return VERSION + hmac.digest(key.secret, message, "sha256").hex()[:_HEX_CHARS]


def pseudonym(key: PseudonymKey, domain: str, identifier: object) -> str | None:
    """The pseudonym of one raw identifier in ``domain`` (None for a missing identifier)."""
    canonical = normalise(identifier)
    return None if canonical is None else _digest(key, domain, canonical)


def normalise_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Vectorised ``normalise``: any array in, a string array out."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    text = pc.utf8_trim_whitespace(values.cast(pa.string()))
    eight = pc.match_substring_regex(text, r"^[0-9]{8}$")
    text = pc.if_else(eight, pc.binary_join_element_wise("0", text, ""), text)
    missing = pc.is_in(text, value_set=pa.array(sorted(_MISSING), pa.string()))
    return pc.if_else(missing, pa.scalar(None, pa.string()), text)


def pseudonymise_array(
    key: PseudonymKey, domain: str, values: pa.Array | pa.ChunkedArray
) -> pa.Array:
    """Pseudonyms of every value of ``values``; NULL where the identifier is missing.

    Each distinct identifier is hashed once (identifiers repeat across rows), with
    Python's C-implemented ``hmac.digest``.
    """
    normalised = normalise_array(values)
    encoded = normalised.dictionary_encode()
    uniques = encoded.dictionary.to_pylist()
    hashed = pa.array([_digest(key, domain, u) for u in uniques], pa.string())
    return hashed.take(encoded.indices)
