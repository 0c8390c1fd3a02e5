"""Report texts: Dutch and English, Dutch number formatting, sources."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kansrijk.indicators import BREAKDOWN_VALUES, catalogue
from kansrijk.report.labels import BREAKDOWN_VALUES as LABELLED_VALUES
from kansrijk.report.labels import (
    TEXTS,
    count,
    number,
    reading_guide,
    sources,
    text,
    value_label,
    value_order,
)


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


def test_breakdown_values_sort_by_the_vocabulary_with_unknown_last() -> None:
    assert sorted(["no", "unknown", "yes"], key=value_order) == ["yes", "no", "unknown"]
    assert sorted(["unknown", "high", "low", "middle"], key=value_order) == [
        "low",
        "middle",
        "high",
        "unknown",
    ]
    assert sorted(["Q5", "unknown", "Q1", "Q3"], key=value_order) == ["Q1", "Q3", "Q5", "unknown"]
    assert sorted([">=P10", "unknown", "<P10"], key=value_order) == ["<P10", ">=P10", "unknown"]
    # open values (JGZ organisations) in natural order, still before "unknown"
    assert sorted(["JGZ10", "unknown", "JGZ02", "JGZ100"], key=value_order) == [
        "JGZ02",
        "JGZ10",
        "JGZ100",
        "unknown",
    ]


def test_every_declared_breakdown_value_has_both_labels() -> None:
    for breakdown, values in BREAKDOWN_VALUES.items():
        for value in values or ():
            assert value in LABELLED_VALUES, (breakdown, value)
            assert value_label(value, "nl") != value, (breakdown, value)


def test_jgz_organisations_get_a_dutch_name_not_a_code() -> None:
    assert value_label("JGZ02") == "JGZ-organisatie 2"
    assert value_label("JGZ02", "en") == "JGZ organisation 2"
    assert value_label("JGZ110") == "JGZ-organisatie 110"
    assert value_label("JGZ2") == "JGZ2"  # not a code of the contract (JGZ + 2-3 digits)


def test_the_reading_guide_covers_what_a_reader_needs() -> None:
    nl = reading_guide("nl", threshold=10)
    en = reading_guide("en", threshold=10)
    assert len(nl) == len(en) == 5
    text_nl = " ".join(f"{label} {body}" for label, body in nl)
    for words in ("95%-betrouwbaarheidsinterval", "eerste met het laatste", "99,8%", "verborgen",
                  "minder dan 10 personen", "5 jaar samen"):  # fmt: skip
        assert words in text_nl, words
    text_en = " ".join(f"{label} {body}" for label, body in en)
    for words in ("95% confidence interval", "first with the latest", "99.8%", "hidden"):
        assert words in text_en, words
