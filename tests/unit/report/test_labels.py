"""Report texts: Dutch and English, Dutch number formatting, sources."""

from __future__ import annotations

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
