"""Hoftiezer percentiles and the P10 flag, with values read off the shipped CSVs by hand."""

from __future__ import annotations

import csv
from importlib.resources import files

import numpy as np
import pytest

from kansrijk.reference import below_p10, below_p10_array, birthweight_percentile, p10_table


def test_p10_boundary_day_161_boys() -> None:
    # male,161: p9 = 468, p10 = 473, p11 = 478
    assert below_p10("M", 161, 472) is True
    assert below_p10("M", 161, 473) is False
    assert birthweight_percentile("M", 161, 473) == 10.0
    assert birthweight_percentile("M", 161, 470.5) == pytest.approx(9.5)


def test_percentile_interpolation_and_tails() -> None:
    # male,161: p1 = 359, p2 = 395, p99 = 741
    assert birthweight_percentile("M", 161, 359) == 1.0
    assert birthweight_percentile("M", 161, 377) == pytest.approx(1.5)
    assert birthweight_percentile("M", 161, 358) == 0.5
    assert birthweight_percentile("M", 161, 741) == 99.0
    assert birthweight_percentile("M", 161, 742) == 99.5
    # female,294: p10 = 3185, p50 = 3722
    assert birthweight_percentile("F", 294, 3722) == 50.0


def test_not_assessable() -> None:
    assert birthweight_percentile("M", 160, 500) is None
    assert birthweight_percentile("X", 200, 500) is None
    assert below_p10("M", 160, 100) is None
    assert below_p10("", 200, 100) is None
    assert below_p10("F", 200, float("nan")) is None


def test_beyond_294_days_uses_day_294_which_equals_kansenkaart_fixed_p10() -> None:
    # Kansenkaart used a fixed P10 above 294 days: 3318 g boys, 3185 g girls.
    rows = {(r["sex"], r["ga_days"]): r for r in p10_table().to_pylist()}
    assert rows[("M", 294)]["p10_g"] == 3318
    assert rows[("F", 294)]["p10_g"] == 3185
    assert below_p10("M", 300, 3317) is True
    assert below_p10("M", 300, 3318) is False
    assert below_p10("F", 310, 3184.9) is True
    assert birthweight_percentile("F", 310, 3185) == 10.0


def test_below_p10_matches_percentile_below_10_everywhere() -> None:
    text = (
        files("kansrijk.reference") / "data" / "hoftiezer2019_birthweight_percentiles_p1_p99.csv"
    ).read_text()
    for row in csv.DictReader(text.splitlines()):
        sex = "M" if row["sex"] == "male" else "F"
        day = int(row["ga_days"])
        p10 = float(row["p10"])
        for weight in (p10 - 1, p10, p10 + 1):
            percentile = birthweight_percentile(sex, day, weight)
            assert percentile is not None
            assert below_p10(sex, day, weight) is (percentile < 10)


def test_array_form_agrees_with_scalar() -> None:
    rng = np.random.default_rng(7)
    n = 5000
    sex = rng.choice(np.array(["M", "F", "X"]), n)
    days = rng.integers(150, 310, n)
    weight = rng.uniform(200, 5000, n)
    weight[::97] = np.nan
    got = below_p10_array(sex, days, weight)
    for s, d, w, g in zip(sex, days, weight, got, strict=True):
        expected = below_p10(str(s), int(d), float(w))
        if expected is None:
            assert np.isnan(g)
        else:
            assert g == float(expected)
    assert np.isnan(got).any() and (got == 1).any() and (got == 0).any()


def test_p10_table_shape() -> None:
    table = p10_table()
    assert table.schema.names == ["sex", "ga_days", "p10_g"]
    assert table.num_rows == 2 * (294 - 161 + 1)
    rows = {(r["sex"], r["ga_days"]): r["p10_g"] for r in table.to_pylist()}
    assert rows[("M", 161)] == 473
    assert rows[("M", 162)] == 486
