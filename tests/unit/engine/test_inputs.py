"""Which tables an indicator reads (traced from the run's queries), and what a run does with
the tables an analyst has: skip what cannot be computed, or fail under --strict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ibis.expr.types as ir
import pyarrow as pa
import pytest

from kansrijk.engine import MissingTablesError
from kansrijk.engine.context import Context
from kansrijk.engine.families import FAMILIES
from kansrijk.engine.families.base import Family
from kansrijk.engine.inputs import family_reads, inputs_of, optional_reads, requirements
from kansrijk.engine.run import plan_inputs, unknown_region_shares
from kansrijk.indicators import catalogue, indicator
from kansrijk.registry.contract import TABLES

#: Every table of the contract, as if the analyst had delivered them all.
ALL = [t.name for t in TABLES]


def _without(*tables: str) -> list[str]:
    return [t for t in ALL if t not in tables]


def test_only_2024_13_needs_the_hospital_care_products() -> None:
    needs = requirements(catalogue())
    assert needs["hospital_care_products"] == ("2024-13",)
    # The live-birth family reads it when it is there (the long-stay flag), so it is an
    # optional read of the family's other indicators, never a requirement.
    assert "hospital_care_products" in family_reads("live_birth").optional
    assert "2019-10" in optional_reads(catalogue())["hospital_care_products"]


def test_jgz_contacts_are_needed_by_the_jgz_family_only() -> None:
    needs = requirements(catalogue(2021))
    jgz = {d.id for d in catalogue(2021) if d.family == "jgz_contact"}
    assert jgz and set(needs["jgz_contacts"]) == jgz


def test_education_is_read_when_delivered_and_never_required() -> None:
    assert "education" not in requirements(catalogue())
    assert set(optional_reads(catalogue())["education"]) == {d.id for d in catalogue()}


def test_every_indicator_needs_what_the_parent_attributes_read() -> None:
    """The attributes every family joins read income, debts and medication: a dataset
    without them can compute nothing, whatever the definitions declare as sources."""
    needs = requirements(catalogue(2021))
    everyone = {d.id for d in catalogue(2021)}
    for table in ("persons", "parent_links", "addresses", "household_income", "medication"):
        assert set(needs[table]) == everyone, table


def test_inputs_of_a_run_are_the_required_and_the_delivered_optional_tables() -> None:
    d = indicator("2019-10", 2021)
    read = inputs_of(d, ALL)
    assert "hospital_care_products" in read and "education" in read
    assert "hospital_care_products" not in inputs_of(d, _without("hospital_care_products"))


@pytest.fixture
def probe_family() -> Iterator[str]:
    """A family that reads detentions always and youth care only when delivered."""

    def keys(ctx: Context) -> ir.Table:
        d = ctx.data.table("detentions")
        return d.select(person_id=d.person_id, year=d.start_date.year())

    def build(ctx: Context, attrs: ir.Table) -> ir.Table:
        units = ctx.children()
        if ctx.data.has("youth_care"):
            care = ctx.data.table("youth_care")
            units = units.filter(units.child_id.isin(care.person_id))
        return units

    name = "probe_family"
    FAMILIES[name] = Family(name=name, tables=("births",), parent_keys=keys, build=build)
    family_reads.cache_clear()
    yield name
    del FAMILIES[name]
    family_reads.cache_clear()


def test_trace_separates_required_from_optional_reads(probe_family: str) -> None:
    read = family_reads(probe_family)
    # Declared (births), read unconditionally (detentions, persons and parent links through
    # ``children``) and read by the parent attributes every family joins.
    assert {"births", "detentions", "persons", "parent_links", "household_income"} <= (
        read.required
    )
    assert "youth_care" in read.optional
    assert "youth_care" not in read.required
    assert not read.required & {"jgz_contacts", "youth_protection"}


def test_plan_skips_what_cannot_be_computed_and_names_the_missing_table() -> None:
    pairs = [(2021, d) for d in catalogue(2021)]
    plan = plan_inputs(pairs, _without("jgz_contacts", "hospital_care_products"))
    jgz = sorted(d.id for d in catalogue(2021) if d.family == "jgz_contact")
    assert sorted(plan.skipped) == [f"2021/{i}" for i in jgz]
    assert all(tables == ["jgz_contacts"] for tables in plan.skipped.values())
    assert sorted(d.id for _, d in plan.pairs) == sorted(
        d.id for d in catalogue(2021) if d.id not in jgz
    )
    assert plan.not_delivered["jgz_contacts"]["required_by"] == jgz
    # Not needed by any 2021 indicator; read by some when present.
    hospital = plan.not_delivered["hospital_care_products"]
    assert hospital["required_by"] == [] and hospital["read_when_delivered_by"]


def test_strict_plan_fails_on_the_first_missing_input() -> None:
    pairs = [(2021, d) for d in catalogue(2021)]
    with pytest.raises(MissingTablesError, match=r"jgz_contacts \(needed by 2019-13, 2019-14"):
        plan_inputs(pairs, _without("jgz_contacts"), strict=True)
    # Nothing missing: strict changes nothing.
    assert plan_inputs(pairs, ALL, strict=True).skipped == {}


def test_plan_fails_when_nothing_can_be_computed() -> None:
    pairs = [(2021, d) for d in catalogue(2021)]
    with pytest.raises(MissingTablesError, match="household_income"):
        plan_inputs(pairs, _without("household_income"))


def _cells(rows: list[tuple[str, int, str, int | None]]) -> pa.Table:
    n = len(rows)
    return pa.table(
        {
            "indicator_id": [r[0] for r in rows],
            "edition": pa.array([2021] * n, pa.int32()),
            "period_start": pa.array([r[1] for r in rows], pa.int32()),
            "period_end": pa.array([r[1] for r in rows], pa.int32()),
            "region_type": [r[2] for r in rows],
            "region_code": [{"nl": "NL01", "unknown": "NL00"}.get(r[2], "GM0363") for r in rows],
            "breakdown": ["total"] * n,
            "breakdown_value": ["total"] * n,
            "denominator": pa.array([r[3] for r in rows], pa.int64()),
        }
    )


def test_unknown_region_share_per_indicator_and_year() -> None:
    cells = _cells(
        [
            ("2019-07", 2020, "nl", 400),
            ("2019-07", 2020, "unknown", 12),
            ("2019-07", 2020, "gemeente", 388),
            ("2019-07", 2021, "nl", 500),
            ("2019-07", 2021, "unknown", None),  # hidden
            ("2019-10", 2020, "nl", 0),
            ("2019-10", 2020, "unknown", 0),
        ]
    )
    shares = unknown_region_shares(cells)
    assert shares == {
        "2021/2019-07": {"2020": pytest.approx(12 / 400), "2021": None},
        "2021/2019-10": {"2020": None},
    }


def test_unknown_region_share_ignores_breakdowns_and_pooled_cells() -> None:
    cells = _cells([("2019-07", 2020, "nl", 100), ("2019-07", 2020, "unknown", 5)])
    extra = _cells([("2019-07", 2020, "nl", 50), ("2019-07", 2020, "unknown", 50)])
    extra = extra.set_column(
        extra.schema.get_field_index("breakdown"), "breakdown", pa.array(["debts"] * 2)
    )
    pooled = _cells([("2019-07", 2016, "nl", 900), ("2019-07", 2016, "unknown", 90)])
    pooled = pooled.set_column(
        pooled.schema.get_field_index("period_end"), "period_end", pa.array([2020] * 2, pa.int32())
    )
    shares = unknown_region_shares(pa.concat_tables([cells, extra, pooled]))
    assert shares == {"2021/2019-07": {"2020": pytest.approx(0.05)}}


def test_shipped_family_reads_come_back_from_the_program_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from kansrijk.engine import inputs

    monkeypatch.setenv("KANSRIJK_CACHE_DIR", str(tmp_path))
    inputs._stored.cache_clear()
    family_reads.cache_clear()
    try:
        traced = family_reads("live_birth")
        (stored,) = tmp_path.glob("family-reads-*.json")
        inputs._stored.cache_clear()
        family_reads.cache_clear()
        with monkeypatch.context() as patch:
            patch.setattr(inputs, "_trace", lambda *a, **k: pytest.fail("traced again"))
            assert family_reads("live_birth") == traced
        stored.write_text("{not json")  # a damaged cache is ignored and rewritten
        inputs._stored.cache_clear()
        family_reads.cache_clear()
        assert family_reads("live_birth") == traced
    finally:
        inputs._stored.cache_clear()
        family_reads.cache_clear()
