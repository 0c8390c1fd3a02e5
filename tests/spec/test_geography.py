"""Region rules shared by the families: the address on the reference date, mergers and
postcode splits to the classification year, provinces, the unknown remainder, yearly
breakdowns for NL only, and 5-year pooled windows (totals at every level for every window;
breakdowns for the latest window only: every breakdown for NL, provinces and the unknown
remainder, and income P10, single parent and debts for municipalities). The table is complete:
every region of the classification year has every cell of this shape, 0 and 0 where no unit
falls. Shown on 2019-07 (pregnancy, mother's address on 30 June)."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest

from kansrijk import geo
from kansrijk.engine.run import RunConfig, compute, compute_unpublished
from kansrijk.indicators import BREAKDOWN_VALUES, MUNICIPAL_POOLED_BREAKDOWNS
from tests.spec.builder import DatasetBuilder
from tests.spec.harness import NO_CELL, both, engine_cells, run

CARE = ("2019-07",)


def _pregnancy_in(
    d: DatasetBuilder, municipality: str, year: int, postcode4: int | None = None
) -> None:
    m = d.mother()
    d.address(m, municipality, date(year - 1, 1, 1), postcode4=postcode4)
    d.birth(m, date(year, 9, 1))


@pytest.mark.parametrize(
    ("rule", "municipality", "year", "postcode4", "classification", "expected"),
    [
        ("Littenseradiel 8831 -> Waadhoeke", "GM0140", 2017, 8831, 2023, "GM1949"),
        (
            "Littenseradiel without postcode -> default successor",
            "GM0140",
            2017,
            None,
            2023,
            "GM1900",
        ),
        ("Haaren (Esch) 5296 -> Boxtel", "GM0788", 2020, 5296, 2023, "GM0757"),
        ("Weesp 2021 -> Amsterdam on 2023 boundaries", "GM0457", 2021, None, 2023, "GM0363"),
        ("Weesp 2021 stays Weesp on 2022 boundaries", "GM0457", 2021, None, 2022, "GM0457"),
    ],
)
def test_mergers_and_postcode_splits_map_to_the_classification_year(
    tmp_path: Path,
    rule: str,
    municipality: str,
    year: int,
    postcode4: int | None,
    classification: int,
    expected: str,
) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, municipality, year, postcode4)
    r = run(
        d,
        tmp_path,
        edition=2021,
        years=(year, year),
        classification_year=classification,
        indicators=CARE,
    )
    assert r.cell("2019-07", year, ("gemeente", expected)) == both(0, 1), rule


def test_mother_moving_on_30_june_counts_in_the_new_municipality(tmp_path: Path) -> None:
    d = DatasetBuilder()
    moved_30_june = d.mother()
    d.address(moved_30_june, "GM0599", date(2015, 1, 1), date(2021, 6, 29))
    d.address(moved_30_june, "GM0363", date(2021, 6, 30))
    d.birth(moved_30_june, date(2021, 9, 1))
    moved_1_july = d.mother()
    d.address(moved_1_july, "GM0599", date(2015, 1, 1), date(2021, 6, 30))
    d.address(moved_1_july, "GM0363", date(2021, 7, 1))
    d.birth(moved_1_july, date(2021, 9, 1))
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021, ("gemeente", "GM0363")) == both(0, 1)
    assert r.cell("2019-07", 2021, ("gemeente", "GM0599")) == both(0, 1)


def test_no_address_on_30_june_is_the_unknown_region(tmp_path: Path) -> None:
    d = DatasetBuilder()
    gone = d.mother()
    d.address(gone, "GM0363", date(2015, 1, 1), date(2021, 6, 29))  # emigrated before
    d.birth(gone, date(2021, 2, 1))
    d.birth(d.mother(), date(2021, 2, 1))  # never had an address
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021, ("unknown", "NL00")) == both(0, 2)
    assert r.cell("2019-07", 2021) == both(0, 2)
    assert r.cell("2019-07", 2021, ("province", "PV27")) == both(0, 0)
    assert r.cell("2019-07", 2021, ("gemeente", "GM0363")) == both(0, 0)


def test_provinces_and_nl_add_up_from_units(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, "GM0363", 2021)  # Noord-Holland
    _pregnancy_in(d, "GM0457", 2021)  # Weesp: Noord-Holland too
    _pregnancy_in(d, "GM0599", 2021)  # Zuid-Holland
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    assert r.cell("2019-07", 2021, ("province", "PV27")) == both(0, 2)
    assert r.cell("2019-07", 2021, ("province", "PV28")) == both(0, 1)
    assert r.cell("2019-07", 2021) == both(0, 3)


def test_yearly_breakdowns_only_nationally(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, "GM0363", 2021)
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=CARE)
    single = ("single_parent", "unknown")
    assert r.cell("2019-07", 2021, breakdown=single) == both(0, 1)
    assert r.cell("2019-07", 2021, breakdown=("single_parent", "yes")) == both(0, 0)
    assert r.cell("2019-07", 2021, ("province", "PV27"), single) == NO_CELL
    assert r.cell("2019-07", 2021, ("unknown", "NL00"), single) == NO_CELL
    assert r.cell("2019-07", 2021, ("gemeente", "GM0363"), single) == NO_CELL


def test_five_year_pooled_windows_at_every_level(tmp_path: Path) -> None:
    d = DatasetBuilder()
    for year in range(2016, 2022):  # Littenseradiel (8831) until 2017, then Waadhoeke
        _pregnancy_in(d, "GM0140" if year < 2018 else "GM1949", year, postcode4=8831)
    r = run(d, tmp_path, edition=2021, years=(2016, 2021), indicators=CARE)
    for window in ((2016, 2020), (2017, 2021)):
        assert r.cell("2019-07", window) == both(0, 5)
        assert r.cell("2019-07", window, ("province", "PV21")) == both(0, 5)
    assert r.cell("2019-07", (2016, 2020), ("gemeente", "GM1949")) == both(0, 5)
    assert r.cell("2019-07", (2015, 2019)) == NO_CELL


# -- breakdowns of the unknown remainder and pooled breakdowns -------------------------------
CARE_YEARS = (2016, 2021)  # two 5-year windows: 2016-2020 and (the latest) 2017-2021
LATEST = (2017, 2021)
NL_CELL = ("nl", "NL01")
PV27 = ("province", "PV27")
UNKNOWN = ("unknown", "NL00")


def _sum(parts: list[tuple[int, int]]) -> tuple[int, int]:
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def _provinces(classification_year: int) -> dict[str, str]:
    """Municipality -> province of the classification year."""
    regions = geo.regions(classification_year).to_pylist()
    return {
        r["municipality_code"]: r["region_code"] for r in regions if r["region_type"] == "province"
    }


def _two_municipalities_and_the_unknown_remainder() -> DatasetBuilder:
    """Pregnancies (2019-07: care started after week 10, i.e. first visit after day 70) of
    mothers in Amsterdam (GM0363) and Amstelveen (GM0362), both Noord-Holland (PV27), and of
    one mother without an address (the unknown remainder) in 2017 and 2020."""
    d = DatasetBuilder()
    m1 = d.mother_in("GM0363")
    d.income(m1, 2016, 5, "single_parent")  # <P10, single parent, no debts
    d.birth(m1, date(2016, 9, 1), first_visit=80)  # late: 1
    m2 = d.mother_in("GM0363")
    d.income(m2, 2018, 50)  # >=P10, couple, debts
    d.arrears(m2, 2018)
    d.birth(m2, date(2018, 9, 1))  # on time: 0
    m3 = d.mother_in("GM0362")  # no income record: unknown, unknown; no debts
    d.birth(m3, date(2019, 9, 1), first_visit=80)  # late: 1
    m4 = d.mother_in("GM0362")
    d.income(m4, 2021, 95)  # >=P10, couple, no debts
    d.birth(m4, date(2021, 3, 1))  # on time: 0
    m5 = d.mother()  # never had an address: the unknown remainder
    d.income(m5, 2017, 3, "single")  # <P10, single parent
    d.birth(m5, date(2017, 9, 1), first_visit=80)  # late: 1
    d.income(m5, 2020, 3, "single")
    d.arrears(m5, 2020)  # <P10, single parent, debts
    d.birth(m5, date(2020, 9, 1))  # on time: 0
    return d


def test_the_unknown_remainder_has_breakdowns_of_the_latest_window_only(tmp_path: Path) -> None:
    d = _two_municipalities_and_the_unknown_remainder()
    r = run(d, tmp_path, edition=2021, years=CARE_YEARS, indicators=CARE)
    assert r.engine == r.reference
    assert r.cell("2019-07", 2017, UNKNOWN) == both(1, 1)
    assert r.cell("2019-07", 2017, UNKNOWN, ("income_p10", "<P10")) == NO_CELL
    assert r.cell("2019-07", 2017, breakdown=("income_p10", "<P10")) == both(1, 1)
    for window in ((2016, 2020), LATEST):
        assert r.cell("2019-07", window, UNKNOWN) == both(1, 2)
    assert r.cell("2019-07", (2016, 2020), UNKNOWN, ("income_p10", "<P10")) == NO_CELL
    # m5 in 2017 (late, single parent, no debts) and 2020 (on time, single parent, debts).
    assert r.cell("2019-07", LATEST, UNKNOWN, ("income_p10", "<P10")) == both(1, 2)
    assert r.cell("2019-07", LATEST, UNKNOWN, ("income_p10", ">=P10")) == both(0, 0)
    assert r.cell("2019-07", LATEST, UNKNOWN, ("debts", "no")) == both(1, 1)
    assert r.cell("2019-07", LATEST, UNKNOWN, ("debts", "yes")) == both(0, 1)
    assert r.cell("2019-07", LATEST, UNKNOWN, ("migration", "dutch")) == both(1, 2)
    # NL over 2017-2021: m5 twice below P10 (late once); m1 (2016) is outside the window.
    assert r.cell("2019-07", LATEST, breakdown=("income_p10", "<P10")) == both(1, 2)
    assert r.cell("2019-07", LATEST, PV27, ("income_p10", "<P10")) == both(0, 0)
    assert r.cell("2019-07", LATEST, PV27, ("income_p10", ">=P10")) == both(0, 2)
    assert r.cell("2019-07", (2016, 2020), breakdown=("income_p10", "<P10")) == NO_CELL


def test_breakdowns_only_nationally_per_year_and_for_the_latest_window(tmp_path: Path) -> None:
    d = _two_municipalities_and_the_unknown_remainder()
    cells = run(d, tmp_path, edition=2021, years=CARE_YEARS, indicators=CARE).engine
    breakdowns = {(k[1], k[2], k[3]) for k in cells if k[5] != "total"}
    yearly = {(start, level) for start, end, level in breakdowns if start == end}
    assert yearly == {(y, "nl") for y in range(2016, 2022)}
    pooled = {(start, end) for start, end, _ in breakdowns if start < end}
    assert pooled == {LATEST}
    pooled_levels = {level for start, end, level in breakdowns if start < end}
    assert pooled_levels == {"nl", "province", "unknown", "gemeente"}
    # Totals: every level, every year and both windows.
    totals = {(k[1], k[2]) for k in cells if k[3:5] == ("province", "PV21") and k[5] == "total"}
    assert totals == {*((y, y) for y in range(2016, 2022)), (2016, 2020), LATEST}


def test_the_latest_window_adds_up_per_breakdown_value(tmp_path: Path) -> None:
    """NL = provinces + NL00 and province = its municipalities for every value of the latest
    window; NL's yearly cells add up to its pooled cell; totals add up in every period."""
    d = _two_municipalities_and_the_unknown_remainder()
    cells = run(d, tmp_path, edition=2021, years=CARE_YEARS, indicators=CARE).engine
    province_of = _provinces(2023)
    assert {k[4] for k in cells if k[3] == "province"} == set(province_of.values())
    checked = 0
    for (ind, start, end, level, code, breakdown, value), counts in cells.items():
        same = (ind, start, end, breakdown, value)
        if level == "nl" and (breakdown == "total" or (start, end) == LATEST):
            parts = [
                v
                for k, v in cells.items()
                if k[3] in ("province", "unknown") and (k[0], k[1], k[2], k[5], k[6]) == same
            ]
            assert _sum(parts) == counts, same
            checked += 1
        if level == "province" and breakdown in ("total", *MUNICIPAL_POOLED_BREAKDOWNS):
            parts = [
                v
                for k, v in cells.items()
                if k[3] == "gemeente"
                and province_of[k[4]] == code
                and (k[0], k[1], k[2], k[5], k[6]) == same
            ]
            assert _sum(parts) == counts, (code, same)
            checked += 1
        if level == "nl" and (start, end) == LATEST and breakdown != "total":
            yearly = [
                cells[(ind, y, y, level, code, breakdown, value)] for y in range(start, end + 1)
            ]
            assert _sum(yearly) == counts, same
    assert checked > 100


def test_municipal_pooled_breakdowns_for_the_latest_window_only(tmp_path: Path) -> None:
    d = _two_municipalities_and_the_unknown_remainder()
    r = run(d, tmp_path, edition=2021, years=CARE_YEARS, indicators=CARE)
    municipal = {k: v for k, v in r.engine.items() if k[3] == "gemeente" and k[5] != "total"}
    assert {(k[1], k[2]) for k in municipal} == {LATEST}
    assert {k[5] for k in municipal} == set(MUNICIPAL_POOLED_BREAKDOWNS)
    amstelveen = ("gemeente", "GM0362")  # m3 (late, unknown income) and m4 (>=P10)
    assert r.cell("2019-07", LATEST, amstelveen, ("income_p10", "unknown")) == both(1, 1)
    assert r.cell("2019-07", LATEST, amstelveen, ("income_p10", ">=P10")) == both(0, 1)
    assert r.cell("2019-07", LATEST, amstelveen, ("single_parent", "no")) == both(0, 1)
    assert r.cell("2019-07", LATEST, amstelveen, ("debts", "no")) == both(1, 2)
    assert r.cell("2019-07", LATEST, ("gemeente", "GM0363"), ("debts", "yes")) == both(0, 1)
    assert r.cell("2019-07", LATEST, amstelveen, ("education", "unknown")) == NO_CELL
    assert r.cell("2019-07", (2016, 2020), ("gemeente", "GM0363"), ("debts", "no")) == NO_CELL
    assert r.cell("2019-07", 2019, amstelveen, ("debts", "no")) == NO_CELL


def test_a_municipality_without_units_in_a_pooled_breakdown_value_gets_zero_cells(
    tmp_path: Path,
) -> None:
    d = _two_municipalities_and_the_unknown_remainder()
    r = run(d, tmp_path, edition=2021, years=CARE_YEARS, indicators=CARE)
    assert r.engine == r.reference
    # Amsterdam's only mother below P10 (m1) gave birth in 2016, before the latest window.
    amsterdam = ("gemeente", "GM0363")
    assert r.cell("2019-07", LATEST, amsterdam, ("income_p10", "<P10")) == both(0, 0)
    assert r.cell("2019-07", (2016, 2020), amsterdam, ("income_p10", "<P10")) == NO_CELL
    # Rotterdam has no unit at all: every cell of the shape, 0 and 0.
    rotterdam = {k: v for k, v in r.engine.items() if k[4] == "GM0599"}
    per_value = sum(len(BREAKDOWN_VALUES[b] or ()) for b in MUNICIPAL_POOLED_BREAKDOWNS)
    assert len(rotterdam) == 6 + 2 + per_value  # totals: 6 years, 2 windows
    assert set(rotterdam.values()) == {(0, 0)}
    # Every municipality of the classification year has the same cells.
    shapes = {
        code: {(k[1], k[2], k[5], k[6]) for k in r.engine if k[3:5] == ("gemeente", code)}
        for code in _provinces(2023)
    }
    assert len({frozenset(s) for s in shapes.values()}) == 1


def test_cells_without_units_have_no_value_and_are_hidden(tmp_path: Path) -> None:
    d = _two_municipalities_and_the_unknown_remainder()
    config = RunConfig(
        data=d.write(tmp_path / "data"),
        edition=2021,
        years=range(CARE_YEARS[0], CARE_YEARS[1] + 1),
        classification_year=2023,
        out=tmp_path / "out",
        indicators=CARE,
    )
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", DeprecationWarning
        )
        raw = compute_unpublished(config).results
        published = compute(config).results
    empty = raw.filter(pc.equal(raw["denominator"], 0))
    assert empty.num_rows > 0 and set(empty["numerator"].to_pylist()) == {0}
    for name in ("value", "ci_low", "ci_high"):
        assert empty[name].null_count == empty.num_rows, name
        values = raw[name].drop_null().to_numpy()
        assert not np.isnan(values).any(), name  # NaN never reaches the table
    assert raw.filter(pc.greater(raw["denominator"], 0))["value"].null_count == 0
    # Disclosure control hides them (denominator below the threshold) like any small cell.
    keys = ["period_start", "period_end", "region_type", "region_code", "breakdown"]
    keys.append("breakdown_value")
    zero = {tuple(r.values()) for r in empty.select(keys).to_pylist()}
    rows = {tuple(r[k] for k in keys): r for r in published.to_pylist()}
    assert all(rows[k]["suppressed"] and rows[k]["denominator"] is None for k in zero)
    assert "suppression_reason" not in published.column_names


def test_a_definition_without_any_unit_has_no_cells(tmp_path: Path) -> None:
    d = DatasetBuilder()
    _pregnancy_in(d, "GM0363", 2021)  # a pregnancy, no JGZ contact
    r = run(d, tmp_path, edition=2021, years=(2021, 2021), indicators=(*CARE, "2019-13"))
    assert r.engine == r.reference
    assert {k[0] for k in r.engine} == set(CARE)


def test_breakdown_values_add_up_to_the_total(tmp_path: Path) -> None:
    d = _two_municipalities_and_the_unknown_remainder()
    cells = run(d, tmp_path, edition=2021, years=CARE_YEARS, indicators=CARE).engine
    for (ind, start, end, rtype, rcode, breakdown, _), total in cells.items():
        if breakdown != "total":
            continue
        present = {k[5] for k in cells if k[:5] == (ind, start, end, rtype, rcode)} - {"total"}
        for b in present:
            declared = BREAKDOWN_VALUES[b]
            assert declared is not None
            parts = [cells.get((ind, start, end, rtype, rcode, b, v), (0, 0)) for v in declared]
            assert (sum(p[0] for p in parts), sum(p[1] for p in parts)) == total, (
                start,
                end,
                rtype,
                rcode,
                b,
            )


def test_an_undeclared_breakdown_value_fails_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if a rule change added ">=P10" without declaring it.
    monkeypatch.setitem(BREAKDOWN_VALUES, "income_p10", ("<P10", "unknown"))
    d = _two_municipalities_and_the_unknown_remainder()
    with pytest.raises(
        ValueError, match=r"indicator 2019-07: breakdown 'income_p10' has value '>=P10'"
    ):
        engine_cells(
            d.write(tmp_path / "data"), tmp_path / "out", 2021, range(2016, 2022), 2023, CARE
        )
