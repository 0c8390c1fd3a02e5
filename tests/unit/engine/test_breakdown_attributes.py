"""Only the parents' attributes a run reads are joined: those of the family's outcomes
(``Family.mother_attributes``) and of the run's breakdowns; an undeclared one fails by name."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa
import pytest

from kansrijk.engine.context import ATTRIBUTE_COLUMNS, BREAKDOWN_ATTRIBUTES, Context
from kansrijk.engine.families import FAMILIES
from kansrijk.engine.families.base import parent_attributes, with_breakdowns
from kansrijk.indicators import BREAKDOWN_VALUES


def _context(breakdowns: frozenset[str]) -> Context:
    # with_breakdowns reads no table: a context without a dataset will do.
    data: Any = None
    return Context(
        data=data, years=range(2020, 2021), classification_year=2023, breakdowns=breakdowns
    )


UNITS = ibis.memtable(
    pa.table({"mother_id": ["m1", "m2"], "father_id": ["f1", None], "year": [2020, 2020]})
)
ATTRS = ibis.memtable(
    pa.table(
        {
            "person_id": ["m1", "f1", "m2"],
            "year": [2020, 2020, 2020],
            "income_pct": [5, 50, None],
            "debts": [False, True, False],
            "education": ["low", "high", None],
        }
    )
)


def test_every_attribute_breakdown_names_existing_columns() -> None:
    for name, (mother, father) in BREAKDOWN_ATTRIBUTES.items():
        assert name in BREAKDOWN_VALUES
        assert set(mother) | set(father) <= set(ATTRIBUTE_COLUMNS)
    for family in FAMILIES.values():
        assert set(family.mother_attributes) | set(family.father_attributes) <= set(
            ATTRIBUTE_COLUMNS
        )


def test_totals_only_joins_no_parent() -> None:
    t = with_breakdowns(_context(frozenset()), UNITS, ATTRS)
    assert t.columns == ("mother_id", "father_id", "year")


def test_breakdown_joins_the_columns_it_reads() -> None:
    t = with_breakdowns(_context(frozenset({"debts", "income_p10"})), UNITS, ATTRS)
    assert set(t.columns) == {
        "mother_id", "father_id", "year", "m_income_pct", "m_debts", "f_debts",
        "income_p10", "debts",
    }  # fmt: skip
    rows = t.order_by("mother_id").to_pyarrow()
    assert rows["income_p10"].to_pylist() == ["<P10", "unknown"]
    assert rows["debts"].to_pylist() == ["yes", "no"]  # the father's debts count


def test_undeclared_attribute_fails_by_name() -> None:
    t = with_breakdowns(_context(frozenset({"debts"})), UNITS, ATTRS, mother=("income_pct",))
    assert "m_income_pct" in t.columns
    with pytest.raises(AttributeError, match="m_education"):
        _ = t.m_education


def test_parent_attributes_merges_outcomes_and_breakdowns() -> None:
    assert parent_attributes({"parental_ggz"}, ("debts",), ()) == (["debts", "ggz"], ["ggz"])
    assert parent_attributes((), (), ()) == ([], [])
