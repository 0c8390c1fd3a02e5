"""Keyed pseudonyms: deterministic, key- and domain-separated, normalised, NULL for missing."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansrijk.pseudonym import (
    KeyFileError,
    PseudonymKey,
    load_key,
    normalise,
    pseudonym,
    pseudonymise_array,
)
from kansrijk.registry.contract import ID_PATTERN

KEY = PseudonymKey(bytes(range(32)))
OTHER_KEY = PseudonymKey(bytes(range(1, 33)))


def test_same_key_same_pseudonym() -> None:
    assert pseudonym(KEY, "person", "123456789") == pseudonym(KEY, "person", "123456789")


def test_different_key_different_pseudonym() -> None:
    assert pseudonym(KEY, "person", "123456789") != pseudonym(OTHER_KEY, "person", "123456789")


def test_different_domain_different_pseudonym() -> None:
    assert pseudonym(KEY, "person", "123456789") != pseudonym(KEY, "birth", "123456789")


def test_known_value_pins_the_scheme() -> None:
    # HMAC-SHA-256(key=00..1f, b"person\x00123456789"), first 30 hex digits, "v1" prefix.
    import hashlib
    import hmac

    digest = hmac.new(bytes(range(32)), b"person\x00123456789", hashlib.sha256).hexdigest()
    assert pseudonym(KEY, "person", "123456789") == "v1" + digest[:30]


def test_unknown_domain_is_refused() -> None:
    with pytest.raises(ValueError, match="domain"):
        pseudonym(KEY, "people", "123456789")


@pytest.mark.parametrize("missing", [None, "", "   ", "000000000", "---------", "00000000"])
def test_missing_encodings_become_null(missing: str | None) -> None:
    assert normalise(missing) is None
    assert pseudonym(KEY, "person", missing) is None


def test_eight_digit_numbers_are_padded() -> None:
    assert normalise(" 12345678 ") == "012345678"
    assert pseudonym(KEY, "person", "12345678") == pseudonym(KEY, "person", "012345678")
    assert normalise("1234567") == "1234567"  # only 8-digit numbers lost a leading zero


@given(
    st.lists(
        st.one_of(st.none(), st.text(max_size=12), st.integers(0, 999_999_999).map(str)),
        max_size=50,
    )
)
def test_array_matches_scalar(values: list[str | None]) -> None:
    result = pseudonymise_array(KEY, "person", pa.array(values, pa.string())).to_pylist()
    assert result == [pseudonym(KEY, "person", v) for v in values]


def test_pseudonyms_match_the_contract_id_pattern() -> None:
    values = pseudonymise_array(KEY, "claim", pa.array(["1", "x", "12345678"])).to_pylist()
    assert all(v is not None and re.match(ID_PATTERN, v) for v in values)


def test_integer_arrays_are_accepted() -> None:
    out = pseudonymise_array(KEY, "person", pa.array([12345678, None], pa.int64())).to_pylist()
    assert out == [pseudonym(KEY, "person", "012345678"), None]


def test_key_file_hex_and_raw(tmp_path: Path) -> None:
    hex_file = tmp_path / "k.hex"
    hex_file.write_text(bytes(range(32)).hex() + "\n")
    raw_file = tmp_path / "k.bin"
    raw_file.write_bytes(bytes(range(32)))
    assert load_key(hex_file).secret == bytes(range(32))
    assert load_key(raw_file).secret == bytes(range(32))


@pytest.mark.parametrize("content", [b"\x01" * 31, b"ab" * 31, b"abc"])
def test_short_keys_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "k"
    path.write_bytes(content)
    with pytest.raises(KeyFileError) as info:
        load_key(path)
    assert content.decode("latin-1") not in str(info.value) or len(content) < 4


def test_key_is_not_shown() -> None:
    assert bytes(range(32)).hex() not in repr(KEY)
    assert "hidden" in str(KEY)
