from pathlib import Path

import pytest

from kansrijk.indicators import (
    BREAKDOWN_VALUES,
    BREAKDOWNS,
    CATALOGUE,
    MUNICIPAL_POOLED_BREAKDOWNS,
    Unit,
    catalogue,
    indicator,
)
from kansrijk.indicators.document import render_markdown
from kansrijk.registry.contract import EDUCATION_LEVELS

DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_the_2019_and_2024_sets_are_complete() -> None:
    numbers_2021 = {d.number for d in catalogue(2021)}
    assert {"7", "8", "10", "11", "12", "13", "14", "15"} <= numbers_2021
    numbers_2024 = {d.number for d in catalogue(2024)}
    assert {"6", "9", "10", "11", "13", "15"} <= numbers_2024


def test_ids_are_unique_per_edition_and_versions_differ_in_hash() -> None:
    for edition in range(2019, 2026):
        ids = [d.id for d in catalogue(edition)]
        assert len(ids) == len(set(ids)), edition
    old, new = indicator("2019-12", 2020), indicator("2019-12", 2021)
    assert old.parameter("min_gestational_days") == 154
    assert new.parameter("min_gestational_days") == 168
    assert old.definition_hash() != new.definition_hash()
    assert new.definition_hash("engine v1") != new.definition_hash("engine v2")


def test_every_definition_is_complete() -> None:
    for d in CATALOGUE:
        assert d.title_nl and d.title_en and d.population and d.numerator and d.denominator
        assert d.sources and d.editions
        assert isinstance(d.unit, Unit)
        assert d.parent is None or any(p.id == d.parent for p in CATALOGUE)


def test_unknown_edition_and_id() -> None:
    with pytest.raises(ValueError, match="editions"):
        catalogue(2018)
    with pytest.raises(KeyError):
        indicator("2019-99", 2021)


def test_generated_documentation_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/indicators.md is stale: run `make docs`"
    )


def test_every_breakdown_declares_its_values() -> None:
    assert set(BREAKDOWN_VALUES) == set(BREAKDOWNS)
    assert set(MUNICIPAL_POOLED_BREAKDOWNS) <= set(BREAKDOWNS)
    assert BREAKDOWN_VALUES["jgz_organisation"] is None  # open: the codes in the data
    assert BREAKDOWN_VALUES["education"] == (*EDUCATION_LEVELS, "unknown")
    for d in CATALOGUE:
        assert set(d.breakdowns) <= set(BREAKDOWN_VALUES), d.id


def test_dutch_titles_of_the_distribution_read_as_dutch() -> None:
    """'met geen' and 'een' (for 'one') are how a translation reads, not how RIVM writes."""
    from kansrijk.indicators import catalogue

    titles = {d.id: d.title_nl for d in catalogue(2021)}
    assert titles["2019-11-0"].endswith("gezin zonder risicofactoren")
    assert titles["2019-11-1"].endswith("gezin met één risicofactor")
    assert not [t for t in titles.values() if "met geen" in t]
