"""Identifying details in free text: hand-picked texts with their expected findings."""

from __future__ import annotations

from datetime import date

import pytest

from kansrijk.coordination.identifying import (
    DetailKind,
    date_notations,
    detail_kinds,
    identifying_details,
    is_valid_bsn,
    name_parts,
    normalise_bsn,
)

NAMES = ("Fatima", "el Amrani", "Sanne", "van der Berg-de Vries")
DATES = (date(1995, 7, 3), date(2027, 1, 15))


def kinds(
    text: str, names: tuple[str, ...] = NAMES, dates: tuple[date, ...] = DATES
) -> list[DetailKind]:
    return detail_kinds(identifying_details(text, names, dates))


def test_a_clean_case_description_has_no_findings() -> None:
    text = (
        "Zwangere vrouw (28 weken) met schulden en weinig steun in haar omgeving; partner "
        "werkt in ploegendienst. Vraag: wie neemt de regie? Volgende bespreking 12-03-2027, "
        "over 2 weken. Schuldhulp heeft 1 gesprek gehad in 2026 EN 2027."
    )
    assert identifying_details(text, NAMES, DATES) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fatima is 28 weken zwanger", [DetailKind.NAME]),
        ("mevrouw El Amrani belt vaak", [DetailKind.NAME]),  # case-insensitive
        ("FÁTIMA", [DetailKind.NAME]),  # accents ignored
        ("de familie Van der Berg", [DetailKind.NAME]),  # the prefixes alone never match
        ("gesprek met De Vries", [DetailKind.NAME]),  # a part of a double name
        ("Sanneke komt ook", []),  # whole words only
        ("van der de", []),
        ("geboren 3-7-1995", [DetailKind.DATE]),
        ("geboren 03-07-1995.", [DetailKind.DATE]),
        ("geboren 3 juli 1995", [DetailKind.DATE]),
        ("geboren 3 jul 1995", [DetailKind.DATE]),
        ("geboren op 1995-07-03", [DetailKind.DATE]),
        ("uitgerekend 15/01/27", [DetailKind.DATE]),
        ("geboren 13-07-1995", []),  # another day
        ("BSN 111222333", [DetailKind.BSN]),
        ("BSN 1112.22.333", [DetailKind.BSN]),
        ("dossier 123456789", []),  # nine digits that fail the elfproef
        ("mail f.elamrani@example.nl", [DetailKind.EMAIL]),
        ("bel 06-12345678", [DetailKind.PHONE]),
        ("bel +31 6 12345678", [DetailKind.PHONE]),
        ("bel 020 123 4567", [DetailKind.PHONE]),
        ("woont in 1012 AB", [DetailKind.POSTCODE]),
        ("woont in 1012AB Amsterdam", [DetailKind.POSTCODE]),
        ("woont Kerkstraat 12a", [DetailKind.ADDRESS]),
        ("woont aan de Dorpsweg 3", [DetailKind.ADDRESS]),
        (
            "Fatima, Kerkstraat 12, 06-12345678",
            [DetailKind.NAME, DetailKind.PHONE, DetailKind.ADDRESS],
        ),
    ],
)
def test_findings(text: str, expected: list[DetailKind]) -> None:
    assert kinds(text) == expected


def test_without_the_family_only_the_patterns_are_found() -> None:
    assert kinds("Fatima, geboren 3-7-1995", (), ()) == []
    assert kinds("Fatima, BSN 111222333", (), ()) == [DetailKind.BSN]


def test_findings_point_at_the_detail() -> None:
    text = "Zij heet Fátima, bel 06-12345678."
    found = identifying_details(text, ("Fatima",))
    assert [(f.kind, text[f.start : f.end]) for f in found] == [
        (DetailKind.NAME, "Fátima"),
        (DetailKind.PHONE, "06-12345678"),
    ]


def test_name_parts_leave_out_prefixes_and_short_words() -> None:
    assert name_parts(["van der Berg-de Vries", "Li", "Jan"]) == ["vries", "berg", "jan"]


def test_date_notations() -> None:
    notations = date_notations(date(2027, 1, 5))
    for expected in (
        "5-1-2027",
        "05-01-2027",
        "5/1/27",
        "05.01.2027",
        "2027-01-05",
        "5 januari 2027",
        "05 jan 2027",
    ):
        assert expected in notations


@pytest.mark.parametrize(
    ("value", "valid"),
    [("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False)],
)
def test_elfproef(value: str, valid: bool) -> None:
    assert is_valid_bsn(value) is valid
    assert normalise_bsn("1234.56.782") == "123456782"
