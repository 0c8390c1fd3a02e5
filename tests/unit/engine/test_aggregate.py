"""`engine.aggregate.cells` on literal units: which cells exist and what they hold.

Five units over 2016-2020 (one 5-year window, the run's latest): three in two municipalities of
Noord-Holland (PV27), two with unknown municipality (the remainder NL00). Indicator 2019-07
(pooled over 5 years, every family breakdown); its outcome is ``care_after_week_10``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import ibis
import pyarrow as pa
import pytest

from kansrijk.engine.aggregate import cell_shape, cells, windows
from kansrijk.indicators import BREAKDOWN_VALUES, MUNICIPAL_POOLED_BREAKDOWNS, indicator

D = indicator("2019-07", 2021)
YEARS = range(2016, 2021)
WINDOW = (2016, 2020)
Key = tuple[int, int, str, str, str, str]

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
    provinces = pa.table({"region": ["GM0363", "GM0362"], "province": ["PV27", "PV27"]})
    out = cells(
        con.create_table("units", table, overwrite=True),
        con.create_table("provinces", provinces, overwrite=True),
        [D],
        YEARS,
    )
    keys = ["period_start", "period_end", "region_type", "region_code", "breakdown"]
    return {
        (*(r[k] for k in keys), r["breakdown_value"]): (
            r["n_care_after_week_10"],
            r["d_care_after_week_10"],
        )
        for r in out.to_pylist()
    }


def test_the_unknown_remainder_has_yearly_and_pooled_breakdowns(con: ibis.BaseBackend) -> None:
    c = _cells(con)
    assert c[(2017, 2017, "unknown", "NL00", "income_p10", "<P10")] == (1, 1)
    assert c[(2020, 2020, "unknown", "NL00", "debts", "yes")] == (0, 1)
    assert c[(2020, 2020, "unknown", "NL00", "education", "unknown")] == (0, 1)
    assert c[(*WINDOW, "unknown", "NL00", "total", "total")] == (1, 2)
    assert c[(*WINDOW, "unknown", "NL00", "income_p10", "<P10")] == (1, 2)
    assert c[(*WINDOW, "unknown", "NL00", "debts", "no")] == (1, 1)
    assert c[(*WINDOW, "unknown", "NL00", "migration", "dutch")] == (1, 2)
    assert c[(*WINDOW, "nl", "NL01", "income_p10", "<P10")] == (2, 3)
    assert c[(*WINDOW, "province", "PV27", "income_p10", "<P10")] == (1, 1)


def test_provinces_and_unknown_add_up_to_nl_yearly_and_pooled(con: ibis.BaseBackend) -> None:
    c = _cells(con)
    nl = {k: v for k, v in c.items() if k[2] == "nl"}
    assert {(k[0], k[1]) for k in nl} == {*((y, y) for y in YEARS), WINDOW}
    for (start, end, _, _, breakdown, value), expected in nl.items():
        parts = [
            v
            for k, v in c.items()
            if k[2] in ("province", "unknown")
            and (k[0], k[1], k[4], k[5]) == (start, end, breakdown, value)
        ]
        assert (sum(p[0] for p in parts), sum(p[1] for p in parts)) == expected


def test_municipalities_get_three_pooled_breakdowns_of_the_latest_window(
    con: ibis.BaseBackend,
) -> None:
    c = _cells(con)
    municipal = {k: v for k, v in c.items() if k[2] == "gemeente" and k[4] != "total"}
    assert {(k[0], k[1]) for k in municipal} == {WINDOW}
    assert {k[4] for k in municipal} == set(MUNICIPAL_POOLED_BREAKDOWNS)
    assert municipal == {
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
    assert c[(*WINDOW, "gemeente", "GM0363", "total", "total")] == (1, 2)
    assert c[(*WINDOW, "gemeente", "GM0362", "total", "total")] == (1, 1)
    for start, end, _, _, breakdown, value in municipal:
        assert (start, end, "province", "PV27", breakdown, value) in c
        assert (start, end, "nl", "NL01", breakdown, value) in c


def test_breakdown_values_add_up_to_the_total(con: ibis.BaseBackend) -> None:
    c = _cells(con)
    for (start, end, rtype, rcode, breakdown, _), total in c.items():
        if breakdown != "total":
            continue
        present = {k[4] for k in c if k[:4] == (start, end, rtype, rcode)} - {"total"}
        if rtype != "gemeente":
            assert present == set(D.breakdowns)
        else:
            assert present == (set(MUNICIPAL_POOLED_BREAKDOWNS) if start < end else set())
        for b in present:
            declared = BREAKDOWN_VALUES[b] or ()
            parts = [c.get((start, end, rtype, rcode, b, v), (0, 0)) for v in declared]
            assert (sum(p[0] for p in parts), sum(p[1] for p in parts)) == total


def test_an_undeclared_breakdown_value_fails_loudly(con: ibis.BaseBackend) -> None:
    units = [*UNITS, (2018, "GM0362", 0, "<P5", "no", "no")]
    with pytest.raises(
        ValueError, match=r"indicator 2019-07: breakdown 'income_p10' has value '<P5'"
    ):
        _cells(con, units)


def test_the_shape_gives_municipal_breakdowns_for_the_latest_of_several_windows() -> None:
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
        (level, start, b)
        for level in ("unknown", "province", "nl")
        for start, _ in spans
        for b in ("total", *D.breakdowns)
    }
    unpooled = replace(D, pooling_years=None)
    assert all(
        r["period_start"] == r["period_end"] for r in cell_shape([unpooled], years).to_pylist()
    )
