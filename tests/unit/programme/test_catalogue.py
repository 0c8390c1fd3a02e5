"""The programme indicator definitions: complete, unique, hashed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kansrijk.indicators import Direction, Unit
from kansrijk.indicators import catalogue as registry_catalogue
from kansrijk.programme import (
    FACTS_READ,
    PROGRAMME_INDICATORS,
    STATUS,
    Figure,
    ReferenceDate,
    Source,
    Subject,
    programme_indicator,
    programme_indicators,
)
from kansrijk.programme.compute import COUNTERS


def test_the_seven_programme_indicators() -> None:
    assert [d.number for d in PROGRAMME_INDICATORS] == ["1", "2", "3", "4", "5", "6", "9"]
    assert [d.id for d in PROGRAMME_INDICATORS] == [
        "2019-01",
        "2019-02",
        "2019-03",
        "2019-04",
        "2019-05",
        "2019-06",
        "2019-09",
    ]
    assert set(COUNTERS) == set(FACTS_READ) == {d.id for d in PROGRAMME_INDICATORS}


def test_every_definition_is_complete() -> None:
    for d in PROGRAMME_INDICATORS:
        assert d.title_nl and d.title_en and d.numerator and d.denominator and d.notes
        assert d.editions == (2019, 2020, 2021, 2022, 2023)
        assert d.unit is Unit.PERCENT and d.direction is Direction.HIGHER_IS_BETTER
        assert isinstance(d.subject, Subject) and isinstance(d.source, Source)
        for f in d.figures:
            assert f.label_en and f.label_nl and f.numerator and f.denominator
            assert (f.breakdown == STATUS) == bool(f.categories)


def test_sources_subjects_and_reference_dates() -> None:
    by_number = {d.number: d for d in PROGRAMME_INDICATORS}
    assert {n for n, d in by_number.items() if d.source is Source.QUESTIONNAIRE} == {"1", "2", "4"}
    assert {n for n, d in by_number.items() if d.subject is Subject.ORGANISATIONS} == {"6", "9"}
    for n, d in by_number.items():
        expected = ReferenceDate.QUESTIONNAIRE if n in {"1", "2", "4"} else ReferenceDate.OCTOBER_1
        assert d.reference_date is expected


def test_denominator_variants_of_1_and_2() -> None:
    for number in ("2019-01", "2019-02"):
        d = programme_indicator(number)
        assert [(f.id, f.variant) for f in d.denominator_variants] == [
            (number, "impuls"),
            (f"{number}r", "responding"),
        ]
        assert [f.id for f in d.figures] == [number, *(number + s for s in ("r", "u", "s", "rs"))]
    assert programme_indicator("2019-04").denominator_variants == ()


def test_ids_do_not_clash_with_the_registry_catalogue() -> None:
    figures = {f.id for d in PROGRAMME_INDICATORS for f in d.figures}
    registry = {d.id for edition in range(2019, 2024) for d in registry_catalogue(edition)}
    assert not figures & registry


def test_lookup() -> None:
    assert programme_indicator("2019-01rs").id == "2019-01"
    with pytest.raises(KeyError):
        programme_indicator("2019-07")
    assert len(programme_indicators(2021)) == 7
    with pytest.raises(ValueError, match="editions"):
        programme_indicators(2024)


def test_titles_by_language() -> None:
    d = programme_indicator("2019-09")
    assert d.title("nl") == "JGZ-organisaties die CenteringOuderschap aanbieden"
    assert d.title("en-gb") == d.title_en


def test_hash_covers_the_definition_and_the_implementation() -> None:
    d = programme_indicator("2019-04")
    assert json.dumps(d.fingerprint(), sort_keys=True)  # plain data
    assert d.definition_hash() == programme_indicator("2019-04").definition_hash()
    assert d.definition_hash() != replace(d, version="2").definition_hash()
    assert d.definition_hash("a") != d.definition_hash("b")
    assert len({x.definition_hash() for x in PROGRAMME_INDICATORS}) == 7


def test_figures_must_be_well_formed() -> None:
    d = programme_indicator("2019-05")
    with pytest.raises(ValueError, match="headline"):
        replace(d, figures=())
    with pytest.raises(ValueError, match="unique"):
        replace(d, figures=(*d.figures, Figure("2019-05", "x", "x", "x", "x")))


def test_texts_by_language() -> None:
    d = programme_indicator("2019-04")
    assert d.numerator_text("nl").startswith("Aantal gemeenten waar prenatale huisbezoeken")
    assert d.denominator_text("nl") == "Aantal gemeenten die de vragen hierover hebben beantwoord."
    assert d.numerator_text("en") == d.numerator
    assert d.headline.label("nl") == "t.o.v. gemeenten die de vraag beantwoordden"
    assert d.headline.label("en") == "of municipalities that answered"
