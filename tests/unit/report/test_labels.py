"""Report texts: Dutch and English, Dutch number formatting, sources."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kansrijk.indicators import catalogue
from kansrijk.report.labels import TEXTS, count, number, sources, text


def test_dutch_numbers_use_decimal_comma_and_dot_thousands() -> None:
    assert number(1234.56, "nl") == "1.234,6"
    assert number(1234.56, "en") == "1,234.6"
    assert number(None) == ""
    assert count(160000, "nl") == "160.000"


def test_every_text_has_both_languages_and_placeholders_match() -> None:
    for key, (nl, en) in TEXTS.items():
        assert nl, key
        assert set(_fields(nl)) == set(_fields(en)) or not en, key
    assert text("hidden", "en") == "hidden"
    assert text("privacy_note", "nl", threshold=10).startswith("Cellen met minder dan 10")


def test_sources_name_the_registry_owners() -> None:
    by_id = {d.id: d for d in catalogue(2021)}
    assert sources(by_id["2019-07"]) == "Perined"
    assert sources(by_id["2019-10"]) == "CBS, Vektis"
    assert sources(by_id["2019-13"]) == "JGZ, CBS"


def _fields(template: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


def test_values_round_half_up_like_excel() -> None:
    # 13/80 = 16.25%: Python's half-even formatting printed 16,2 where Excel's "0.0" shows 16,3
    assert number(100 * 13 / 80) == "16,3"
    assert number(100 * 1 / 16) == "6,3"
    assert number(100 * 1 / 16, "en") == "6.3"
    assert number(-2.25) == "-2,3"
    assert number(99.95) == "100,0"
    assert number(16.249999999999996) == "16,3"  # float noise of an exact fraction


@given(st.integers(0, 999_999), st.integers(1, 999_999), st.sampled_from([100, 1000]))
def test_rounding_is_half_up_on_the_exact_fraction(n: int, d: int, scale: int) -> None:
    exact = Fraction(n * scale, d)
    tenths = exact * 10
    expected = (tenths.numerator * 2 + tenths.denominator) // (2 * tenths.denominator)
    assert number(scale * n / d, "en").replace(",", "") == f"{expected // 10}.{expected % 10}"
