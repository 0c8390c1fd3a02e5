"""`engine.aggregate.cells` on literal units: which cells exist and what they hold.

Five units over 2016-2020 (one 5-year window, the run's latest): three in two municipalities of
Noord-Holland (PV27), two with unknown municipality (the remainder NL00). The classification
year has two more municipalities without units: GM0361 in PV27 and GM0344 in Utrecht (PV26).
Indicator 2019-07 (pooled over 5 years, every family breakdown); its outcome is
``care_after_week_10``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import ibis
import pyarrow as pa
import pytest

from kansrijk.engine.aggregate import Variant, cell_shape, cells, windows
from kansrijk.indicators import BREAKDOWN_VALUES, MUNICIPAL_POOLED_BREAKDOWNS, indicator

D = indicator("2019-07", 2021)
YEARS = range(2016, 2021)
WINDOW = (2016, 2020)
Key = tuple[int, int, str, str, str, str]
#: The municipalities of the classification year and their provinces.
PROVINCES = {"GM0363": "PV27", "GM0362": "PV27", "GM0361": "PV27", "GM0344": "PV26"}
REGIONS = {
    "gemeente": set(PROVINCES),
    "province": set(PROVINCES.values()),
    "unknown": {"NL00"},
    "nl": {"NL01"},
}

#: year, region, outcome, income_p10, single_parent, debts (other breakdowns: fixed values)
UNITS = [
    (2016, "GM0363", 1, "<P10", "yes", "no"),
    (2018, "GM0363", 0, ">=P10", "no", "yes"),
    (2019, "GM0362", 1, "unknown", "unknown", "no"),
    (2017, None, 1, "<P10", "yes", "no"),
    (2020, None, 0, "<P10", "yes", "yes"),
]


@pytest.fixture
def con() -> Iterator[ibis.BaseBackend]:
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


def _cells(
    con: ibis.BaseBackend, units: list[tuple[object, ...]] = UNITS
) -> dict[Key, tuple[int, int]]:
    year, region, outcome, p10, single, debts = (list(c) for c in zip(*units, strict=True))
    n = len(units)
    table = pa.table(
        {
            "year": pa.array(year, pa.int32()),
            "region": pa.array(region, pa.string()),
            "care_after_week_10": pa.array(outcome, pa.int8()),
            "income_p10": p10,
            "income_quintile": ["Q3"] * n,
            "single_parent": single,
            "debts": debts,
            "parental_ggz": ["no"] * n,
            "education": ["unknown"] * n,
            "migration": ["dutch"] * n,
        }
    )
    provinces = pa.table({"region": list(PROVINCES), "province": list(PROVINCES.values())})
    out = cells(
        con.create_table("units", table, overwrite=True),
        con.create_table("provinces", provinces, overwrite=True),
        [D],
        YEARS,
    )
    keys = ["period_start", "period_end", "region_type", "region_code", "breakdown"]
    result = {
        (*(r[k] for k in keys), r["breakdown_value"]): (
            r["n_care_after_week_10"],
            r["d_care_after_week_10"],
        )
        for r in out.to_pylist()
    }
    assert len(result) == out.num_rows, "a cell twice"
    return result


def _sum(parts: list[tuple[int, int]]) -> tuple[int, int]:
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def test_the_unknown_remainder_has_pooled_breakdowns_only(con: ibis.BaseBackend) -> None:
    c = _cells(con)
    assert c[(2017, 2017, "unknown", "NL00", "total", "total")] == (1, 1)
    assert (2017, 2017, "unknown", "NL00", "income_p10", "<P10") not in c
    assert c[(*WINDOW, "unknown", "NL00", "total", "total")] == (1, 2)
    assert c[(*WINDOW, "unknown", "NL00", "income_p10", "<P10")] == (1, 2)
    assert c[(*WINDOW, "unknown", "NL00", "income_p10", ">=P10")] == (0, 0)
    assert c[(*WINDOW, "unknown", "NL00", "debts", "no")] == (1, 1)
    assert c[(*WINDOW, "unknown", "NL00", "migration", "dutch")] == (1, 2)
    assert c[(*WINDOW, "unknown", "NL00", "migration", "western")] == (0, 0)
    assert c[(*WINDOW, "nl", "NL01", "income_p10", "<P10")] == (2, 3)
    assert c[(*WINDOW, "province", "PV27", "income_p10", "<P10")] == (1, 1)


def test_yearly_breakdowns_are_national_only(con: ibis.BaseBackend) -> None:
    c = _cells(con)
    yearly = {k[2] for k in c if k[0] == k[1] and k[4] != "total"}
    assert yearly == {"nl"}
    assert c[(2017, 2017, "nl", "NL01", "income_p10", "<P10")] == (1, 1)
    assert c[(2017, 2017, "nl", "NL01", "income_p10", ">=P10")] == (0, 0)
    assert c[(2020, 2020, "nl", "NL01", "debts", "yes")] == (0, 1)


def test_every_region_of_the_classification_year_has_every_cell_of_the_shape(
    con: ibis.BaseBackend,
) -> None:
    c = _cells(con)
    periods = {*((y, y) for y in YEARS), WINDOW}
    for level, codes in REGIONS.items():
        for code in codes:
            assert {(k[0], k[1]) for k in c if k[2:5] == (level, code, "total")} == periods
    # A municipality and a province without any unit: 0 and 0 in every cell.
    assert c[(2018, 2018, "gemeente", "GM0344", "total", "total")] == (0, 0)
    assert c[(*WINDOW, "gemeente", "GM0361", "total", "total")] == (0, 0)
    assert c[(*WINDOW, "gemeente", "GM0361", "single_parent", "yes")] == (0, 0)
    assert c[(*WINDOW, "province", "PV26", "education", "high")] == (0, 0)
    # Every declared value of every breakdown, where the breakdown exists.
    for (start, end, level, code, breakdown, _), _counts in c.items():
        if breakdown == "total":
            continue
        declared = BREAKDOWN_VALUES[breakdown] or ()
        present = {k[5] for k in c if k[:5] == (start, end, level, code, breakdown)}
        assert present == set(declared), (start, end, level, code, breakdown)
    expected = (
        len(REGIONS["gemeente"]) * 6  # totals: 5 years and the window
        + (len(REGIONS["province"]) + 2) * 6
        + 5 * sum(len(BREAKDOWN_VALUES[b] or ()) for b in D.breakdowns)  # NL yearly
        + (len(REGIONS["province"]) + 2) * sum(len(BREAKDOWN_VALUES[b] or ()) for b in D.breakdowns)
        + len(REGIONS["gemeente"])
        * sum(len(BREAKDOWN_VALUES[b] or ()) for b in MUNICIPAL_POOLED_BREAKDOWNS)
    )
    assert len(c) == expected


def test_a_municipality_without_units_in_a_pooled_breakdown_value_gets_zero_cells(
    con: ibis.BaseBackend,
) -> None:
    c = _cells(con)
    municipal = {k: v for k, v in c.items() if k[2] == "gemeente" and k[4] != "total"}
    assert {(k[0], k[1]) for k in municipal} == {WINDOW}
    assert {k[4] for k in municipal} == set(MUNICIPAL_POOLED_BREAKDOWNS)
    counted = {
        (*WINDOW, "gemeente", "GM0363", "income_p10", "<P10"): (1, 1),
        (*WINDOW, "gemeente", "GM0363", "income_p10", ">=P10"): (0, 1),
        (*WINDOW, "gemeente", "GM0363", "single_parent", "yes"): (1, 1),
        (*WINDOW, "gemeente", "GM0363", "single_parent", "no"): (0, 1),
        (*WINDOW, "gemeente", "GM0363", "debts", "no"): (1, 1),
        (*WINDOW, "gemeente", "GM0363", "debts", "yes"): (0, 1),
        (*WINDOW, "gemeente", "GM0362", "income_p10", "unknown"): (1, 1),
        (*WINDOW, "gemeente", "GM0362", "single_parent", "unknown"): (1, 1),
        (*WINDOW, "gemeente", "GM0362", "debts", "no"): (1, 1),
    }
    assert {k: v for k, v in municipal.items() if v != (0, 0)} == counted
    assert municipal[(*WINDOW, "gemeente", "GM0363", "income_p10", "unknown")] == (0, 0)
    assert municipal[(*WINDOW, "gemeente", "GM0362", "debts", "yes")] == (0, 0)
    assert len(municipal) == len(PROVINCES) * sum(
        len(BREAKDOWN_VALUES[b] or ()) for b in MUNICIPAL_POOLED_BREAKDOWNS
    )
    assert c[(*WINDOW, "gemeente", "GM0363", "total", "total")] == (1, 2)
    assert c[(*WINDOW, "gemeente", "GM0362", "total", "total")] == (1, 1)


def test_the_latest_window_adds_up_per_breakdown_value(con: ibis.BaseBackend) -> None:
    """NL = provinces + NL00 and province = its municipalities, for every value; NL's yearly
    cells add up to NL's pooled cell."""
    c = _cells(con)
    for (start, end, level, code, breakdown, value), counts in c.items():
        key = (start, end, breakdown, value)
        if level == "nl" and (start < end or breakdown == "total"):
            parts = [
                v
                for k, v in c.items()
                if k[2] in ("province", "unknown") and (k[0], k[1], k[4], k[5]) == key
            ]
            assert _sum(parts) == counts, key
        if level == "province" and (
            breakdown == "total" or breakdown in MUNICIPAL_POOLED_BREAKDOWNS
        ):
            parts = [
                v
                for k, v in c.items()
                if k[2] == "gemeente"
                and PROVINCES[k[3]] == code
                and (k[0], k[1], k[4], k[5]) == key
            ]
            assert _sum(parts) == counts, (code, key)
        if level == "nl" and start < end:
            parts = [c[(y, y, "nl", "NL01", breakdown, value)] for y in range(start, end + 1)]
            assert _sum(parts) == counts, key


def test_breakdown_values_add_up_to_the_total(con: ibis.BaseBackend) -> None:
    c = _cells(con)
    for (start, end, rtype, rcode, breakdown, _), total in c.items():
        if breakdown != "total":
            continue
        present = {k[4] for k in c if k[:4] == (start, end, rtype, rcode)} - {"total"}
        if rtype == "gemeente":
            assert present == (set(MUNICIPAL_POOLED_BREAKDOWNS) if start < end else set())
        elif rtype == "nl" or start < end:
            assert present == set(D.breakdowns)
        else:
            assert present == set()
        for b in present:
            declared = BREAKDOWN_VALUES[b] or ()
            assert _sum([c[(start, end, rtype, rcode, b, v)] for v in declared]) == total


def test_an_open_breakdown_has_the_values_of_the_data_nationally(con: ibis.BaseBackend) -> None:
    d = indicator("2019-13", 2021)  # not pooled; breakdowns: jgz_organisation and the family's
    assert d.pooling_years is None and BREAKDOWN_VALUES["jgz_organisation"] is None
    n = 3
    table = pa.table(
        {
            "year": pa.array([2016, 2018, 2018], pa.int32()),
            "region": pa.array(["GM0363", None, "GM0362"], pa.string()),
            "speech_language": pa.array([1, 0, None], pa.int8()),
            "jgz_organisation": ["JGZ01", "JGZ02", "JGZ03"],
            **{b: ["no"] * n for b in ("single_parent", "debts", "parental_ggz")},
            "income_p10": [">=P10"] * n,
            "income_quintile": ["Q3"] * n,
            "education": ["low"] * n,
            "migration": ["dutch"] * n,
        }
    )
    provinces = pa.table({"region": list(PROVINCES), "province": list(PROVINCES.values())})
    out = cells(
        con.create_table("jgz_units", table),
        con.create_table("jgz_provinces", provinces),
        [d],
        YEARS,
    ).to_pylist()
    jgz = {
        (r["period_start"], r["region_type"], r["breakdown_value"]): (
            r["n_speech_language"],
            r["d_speech_language"],
        )
        for r in out
        if r["breakdown"] == "jgz_organisation"
    }
    # NL only, every year, the three organisations of the data (JGZ03's one unit has no
    # outcome: 0 and 0 for this definition, as in a year without its contacts).
    assert jgz == {
        (y, "nl", org): {(2016, "JGZ01"): (1, 1), (2018, "JGZ02"): (0, 1)}.get((y, org), (0, 0))
        for y in YEARS
        for org in ("JGZ01", "JGZ02", "JGZ03")
    }
    assert all(r["period_start"] == r["period_end"] for r in out)


def test_an_undeclared_breakdown_value_fails_loudly(con: ibis.BaseBackend) -> None:
    units = [*UNITS, (2018, "GM0362", 0, "<P5", "no", "no")]
    with pytest.raises(
        ValueError, match=r"indicator 2019-07: breakdown 'income_p10' has value '<P5'"
    ):
        _cells(con, units)


def test_the_shape_gives_breakdowns_for_the_latest_of_several_windows_only() -> None:
    years = range(2015, 2022)
    shape = cell_shape([D], years).to_pylist()
    spans = windows(years, 5)
    assert spans == [(2015, 2019), (2016, 2020), (2017, 2021)]
    municipal = {
        (r["period_start"], r["period_end"], r["breakdown"])
        for r in shape
        if r["region_type"] == "gemeente" and r["breakdown"] != "total"
    }
    assert municipal == {(2017, 2021, b) for b in MUNICIPAL_POOLED_BREAKDOWNS}
    pooled = {
        (r["region_type"], r["period_start"], r["breakdown"])
        for r in shape
        if r["period_start"] < r["period_end"] and r["region_type"] != "gemeente"
    }
    assert pooled == {
        (level, start, "total") for level in ("unknown", "province", "nl") for start, _ in spans
    } | {(level, 2017, b) for level in ("unknown", "province", "nl") for b in D.breakdowns}
    yearly = {
        (r["region_type"], r["breakdown"])
        for r in shape
        if r["period_start"] == r["period_end"] and r["breakdown"] != "total"
    }
    assert yearly == {("nl", b) for b in D.breakdowns}
    unpooled = replace(D, pooling_years=None)
    assert all(
        r["period_start"] == r["period_end"] for r in cell_shape([unpooled], years).to_pylist()
    )


def test_a_variant_carries_the_parameters_its_family_derives_outcomes_with() -> None:
    kraamzorg, risk = indicator("2019-10", 2021), indicator("2019-11", 2021)
    assert Variant.of(kraamzorg).family_parameters == ()
    assert dict(Variant.of(risk).family_parameters) == {
        "high_cost_min_percent_rank": 0.9,
        "assumed_gestational_days": 280,
        "divorce_years_before": 4,
        "partner_death_years_before": 4,
    }
    # One variant for the count and its distribution, another for kraamzorg.
    assert Variant.of(indicator("2019-11-2", 2021)) == Variant.of(risk) != Variant.of(kraamzorg)
    without = replace(risk, parameters=risk.parameters[:-1])
    with pytest.raises(ValueError, match=r"2019-11 .*lacks .*partner_death_years_before"):
        Variant.of(without)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("high_cost_min_percent_rank", 0.0),
        ("assumed_gestational_days", 400),
        ("divorce_years_before", -1),
    ],
)
def test_a_risk_parameter_out_of_range_is_refused(
    name: str, value: float | int | str | bool
) -> None:
    risk = indicator("2019-11", 2021)
    bad = replace(
        risk, parameters=tuple((k, value if k == name else v) for k, v in risk.parameters)
    )
    units = ibis.table(
        {
            "year": "int32",
            "birth_date": "date",
            "mother_id": "string",
            "father_id": "string",
            "ga_known": "int64",
            "fixed_risk_factors": "int8",
            "divorce_years_ago": "int64",
            "partner_death_years_ago": "int64",
            **{f"{p}_cost_{k}": "float64" for p in "mf" for k in (1, 2)},
        },
        name="units",
    )
    with pytest.raises(ValueError, match=name):
        Variant.of(bad).apply(units)
