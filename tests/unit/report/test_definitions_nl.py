import re
from dataclasses import FrozenInstanceError, fields

import pytest

from kansrijk.indicators import Indicator
from kansrijk.report.definitions_nl import DEFINITIONS_NL, DutchDefinition, dutch_definition

from .definitions import in_force

FIELDS = ("population", "numerator", "denominator", "time_reference")


DEFINITIONS = in_force()
PARAMS = [pytest.param(d, id=f"{d.id}-v{d.version}") for d in dict.fromkeys(DEFINITIONS)]


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def test_the_fields_match_the_catalogue() -> None:
    assert tuple(f.name for f in fields(DutchDefinition)) == FIELDS
    for d in DEFINITIONS:
        assert all(isinstance(getattr(d, name), str) for name in FIELDS)


@pytest.mark.parametrize("d", PARAMS)
def test_every_indicator_has_a_dutch_definition(d: Indicator) -> None:
    assert d.id in DEFINITIONS_NL
    nl = dutch_definition(d.id, d.version)
    for name in FIELDS:
        assert getattr(nl, name).strip(), (d.id, name)


@pytest.mark.parametrize("d", PARAMS)
def test_dutch_texts_are_translations(d: Indicator) -> None:
    nl = dutch_definition(d.id, d.version)
    for name in FIELDS:
        assert getattr(nl, name) != getattr(d, name), (d.id, name)


@pytest.mark.parametrize("d", PARAMS)
def test_numbers_are_kept(d: Indicator) -> None:
    nl = dutch_definition(d.id, d.version)
    for name in FIELDS:  # numerator and denominator, and population (22+0 vs 24+0 weeks)
        missing = _numbers(getattr(d, name)) - _numbers(getattr(nl, name))
        assert not missing, (d.id, d.version, name, missing)


def test_no_stale_ids() -> None:
    assert set(DEFINITIONS_NL) == {d.id for d in DEFINITIONS}


def test_versions_with_different_texts_get_their_own_dutch() -> None:
    old, new = dutch_definition("2019-12", "1"), dutch_definition("2019-12", "2")
    assert "22+0" in old.population
    assert "24+0" in new.population
    assert dutch_definition("2019-12") == new


def test_unknown_id_raises_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match=r"no Dutch definition for indicator '2099-01'"):
        dutch_definition("2099-01")


def test_definitions_are_frozen() -> None:
    nl = dutch_definition("2019-07")
    with pytest.raises(FrozenInstanceError):
        nl.population = "x"  # type: ignore[misc]
