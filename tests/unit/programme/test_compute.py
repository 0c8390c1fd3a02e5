"""Programme indicators on a hand-counted year: every figure's numerator and denominator."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from kansrijk.programme import (
    IMPLEMENTATION,
    PROGRAMME_INDICATORS,
    Answers,
    CoalitionStatus,
    PlanStatus,
    compute_programme,
    programme_indicator,
)
from kansrijk.publication import RESULTS_SCHEMA
from kansrijk.stats import wilson_interval

from .fixtures import year_facts

Key = tuple[str, int, str]


def _counts(table: pa.Table) -> dict[Key, tuple[int, int]]:
    rows = table.to_pylist()
    return {
        (r["indicator_id"], r["edition"], r["breakdown_value"]): (r["numerator"], r["denominator"])
        for r in rows
    }


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return compute_programme([year_facts()]).table


def test_schema_region_and_flags(table: pa.Table) -> None:
    assert table.schema.equals(RESULTS_SCHEMA)
    rows = table.to_pylist()
    assert {(r["region_type"], r["region_code"]) for r in rows} == {("nl", "NL01")}
    assert {
        (r["edition"], r["period_start"], r["period_end"], r["classification_year"]) for r in rows
    } == {(2021, 2021, 2021, 2021)}
    assert {r["unit"] for r in rows} == {"%"}
    assert not any(r["suppressed"] for r in rows)
    assert "suppression_reason" not in table.column_names
    assert len({r["run_id"] for r in rows}) == 1


def test_indicator_1_coalitions(table: pa.Table) -> None:
    c = _counts(table)
    assert c["2019-01", 2021, "total"] == (2, 6)  # GM0001, GM0002 of 6 Impuls municipalities
    assert c["2019-01r", 2021, "total"] == (2, 4)  # over those that answered (GM0001-4)
    assert c["2019-01u", 2021, "total"] == (2, 6)  # GM0005 (no response), GM0006 (left open)
    assert [c["2019-01s", 2021, v] for v in ("formed", "preparing", "none", "unknown")] == [
        (2, 6),
        (1, 6),
        (1, 6),
        (2, 6),
    ]
    assert [c["2019-01rs", 2021, v] for v in ("formed", "preparing", "none")] == [
        (2, 4),
        (1, 4),
        (1, 4),
    ]
    assert ("2019-01rs", 2021, "unknown") not in c


def test_indicator_2_plan_counts_finished_and_in_development(table: pa.Table) -> None:
    c = _counts(table)
    assert c["2019-02", 2021, "total"] == (2, 6)
    assert c["2019-02r", 2021, "total"] == (2, 3)  # GM0004 left the plan question open
    assert c["2019-02u", 2021, "total"] == (3, 6)
    assert [c["2019-02s", 2021, v] for v in ("finished", "in_development", "none", "unknown")] == [
        (1, 6),
        (1, 6),
        (1, 6),
        (3, 6),
    ]


def test_indicator_3_nnz(table: pa.Table) -> None:
    c = _counts(table)
    assert c["2019-03", 2021, "total"] == (2, 3)
    assert c["2019-03j", 2021, "total"] == (2, 7)  # GM0004, GM0005 of the 7 other municipalities
    assert c["2019-03a", 2021, "total"] == (4, 10)


def test_indicator_4_phb_over_every_municipality_that_answered(table: pa.Table) -> None:
    # yes: GM0001, GM0004, GM0007 (no Impuls, still counted); no: GM0002, GM0008
    assert _counts(table)["2019-04", 2021, "total"] == (3, 5)


def test_indicators_5_6_9(table: pa.Table) -> None:
    c = _counts(table)
    assert c["2019-05", 2021, "total"] == (3, 10)
    assert c["2019-06", 2021, "total"] == (3, 8)  # practice 99 is not active: not counted
    assert c["2019-09", 2021, "total"] == (1, 4)


def test_values_and_wilson_intervals(table: pa.Table) -> None:
    for row in table.to_pylist():
        num, den = row["numerator"], row["denominator"]
        assert row["value"] == pytest.approx(100 * num / den)
        low, high = wilson_interval(num, den)
        assert row["ci_low"] == pytest.approx(100 * float(low))
        assert row["ci_high"] == pytest.approx(100 * float(high))
    ind6 = table.filter(pa.compute.equal(table["indicator_id"], "2019-06")).to_pylist()[0]
    assert ind6["value"] == 37.5


def test_hashes(table: pa.Table) -> None:
    rows = table.to_pylist()
    for row in rows:
        d = programme_indicator(row["indicator_id"])
        assert row["definition_hash"] == d.definition_hash(IMPLEMENTATION)
    facts = year_facts()
    other = compute_programme([year_facts(voorzorg_offering={"GM0001"})]).table.to_pylist()

    def data_hash(rows: list[dict[str, object]], figure: str) -> object:
        return next(r["data_hash"] for r in rows if r["indicator_id"] == figure)

    assert data_hash(rows, "2019-05") == facts.data_hash(
        ("registry_date", "voorzorg_municipalities", "voorzorg_offering")
    )
    assert data_hash(rows, "2019-05") != data_hash(other, "2019-05")
    assert data_hash(rows, "2019-06") == data_hash(other, "2019-06")
    assert rows[0]["run_id"] != other[0]["run_id"]
    again = compute_programme([year_facts()]).table
    assert again.equals(table)  # deterministic


def test_rows_follow_the_definitions_order(table: pa.Table) -> None:
    ids = list(dict.fromkeys(table["indicator_id"].to_pylist()))
    declared = [f.id for d in PROGRAMME_INDICATORS for f in d.figures]
    assert ids == declared
    s = table.filter(pa.compute.equal(table["indicator_id"], "2019-01s"))
    assert s["breakdown_value"].to_pylist() == ["formed", "preparing", "none", "unknown"]


def test_year_without_impuls_municipalities_has_no_survey_rows() -> None:
    table = compute_programme([year_facts(2019, impuls=set())]).table
    ids = set(table["indicator_id"].to_pylist())
    assert not {i for i in ids if i.startswith(("2019-01", "2019-02"))}
    assert {"2019-03", "2019-04", "2019-05", "2019-06", "2019-09"} <= ids


def test_no_responders_leaves_only_the_impuls_figures() -> None:
    table = compute_programme([year_facts(answers={})]).table
    c = _counts(table)
    assert c["2019-01", 2021, "total"] == (0, 6)
    assert c["2019-01u", 2021, "total"] == (6, 6)
    assert c["2019-01s", 2021, "unknown"] == (6, 6)
    assert not [k for k in c if k[0] in {"2019-01r", "2019-01rs", "2019-02r", "2019-04"}]


def test_empty_registries_give_no_rows_but_no_error() -> None:
    table = compute_programme(
        [year_facts(midwifery_practices=set(), jgz_organisations=set())]
    ).table
    ids = set(table["indicator_id"].to_pylist())
    assert "2019-06" not in ids and "2019-09" not in ids


def test_several_years_in_order() -> None:
    result = compute_programme([year_facts(2021), year_facts(2019), year_facts(2020)])
    years = result.table.filter(pa.compute.equal(result.table["indicator_id"], "2019-05"))
    assert years["edition"].to_pylist() == [2019, 2020, 2021]
    assert result.manifest["years"] == [2019, 2020, 2021]
    assert result.manifest["reference_dates"]["2019"] == {  # type: ignore[index]
        "questionnaire": "2019-09-20",
        "registries": "2019-10-01",
    }


def test_years_are_checked() -> None:
    with pytest.raises(ValueError, match="no years"):
        compute_programme([])
    with pytest.raises(ValueError, match="duplicate"):
        compute_programme([year_facts(), year_facts()])
    with pytest.raises(ValueError, match=r"not defined for \[2024\]"):
        compute_programme([year_facts(2024)])


def test_answers_parse() -> None:
    assert Answers.parse({}) == Answers()
    parsed = Answers.parse({"coalition_status": "formed", "plan_status": "", "phb_offered": True})
    assert parsed == Answers(CoalitionStatus.FORMED, None, True)
    assert Answers.parse({"phb_offered": "Nee"}).phb_offered is False
    assert Answers.parse({"plan_status": "in_development"}).plan_status is PlanStatus.IN_DEVELOPMENT
    with pytest.raises(ValueError, match="coalition_status"):
        Answers.parse({"coalition_status": "maybe"})
    with pytest.raises(ValueError, match="phb_offered"):
        Answers.parse({"phb_offered": "sometimes"})


def test_facts_are_frozen_sets() -> None:
    facts = year_facts(impuls=["GM0001", "GM0001"])
    assert facts.impuls == frozenset({"GM0001"})
    changed = replace(facts, municipalities=["GM0001"])  # type: ignore[arg-type]
    assert isinstance(changed.municipalities, frozenset)
    intervals = np.asarray(compute_programme([facts]).table["ci_low"].to_numpy())
    assert np.all(intervals >= 0)
