"""Birth weight for gestational age: Hoftiezer 2019 percentiles (Perined charts).

Percentiles P1..P99 by sex and gestational day (161 = 23+0 weeks to 294 = 42+0 weeks). Rules:

* A weight between two integer percentiles is placed by linear interpolation between them; a
  weight below P1 gets 0.5 and one above P99 gets 99.5 (the table says only that it lies in the
  outer 1%).
* Gestational age under 161 days is not assessable (None / NaN): the charts do not start earlier.
* Gestational age over 294 days uses the values of day 294. The Kansenkaart pipeline instead used a
  fixed P10 of 3318 g (boys) and 3185 g (girls) above 294 days; these equal the table's day-294
  P10, so both rules give the same small-for-gestational-age flag. We extend day 294 to all
  percentiles so that `below_p10` and `birthweight_percentile(...) < 10` always agree.
* Sex other than 'M' or 'F' is not assessable.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from kansrijk.reference._data import SEXES, read_rows

P1_P99_FILE = "hoftiezer2019_birthweight_percentiles_p1_p99.csv"
FIRST_DAY = 161
LAST_DAY = 294
BELOW_P1 = 0.5
ABOVE_P99 = 99.5
_P10 = 9  # index of P10 in the P1..P99 axis
_SEX_ORDER = ("M", "F")


@cache
def _table() -> npt.NDArray[np.float64]:
    """Weights in grams indexed [sex (M, F), day - 161, percentile - 1]."""
    out = np.full((2, LAST_DAY - FIRST_DAY + 1, 99), np.nan)
    columns = [f"p{k}" for k in range(1, 100)]
    for row in read_rows(P1_P99_FILE):
        sex = _SEX_ORDER.index(next(k for k, v in SEXES.items() if v == row["sex"]))
        out[sex, int(row["ga_days"]) - FIRST_DAY] = [float(row[c]) for c in columns]
    if np.isnan(out).any() or (np.diff(out, axis=2) < 0).any():
        raise ValueError(f"{P1_P99_FILE} is incomplete or not monotone in the percentile")
    out.setflags(write=False)
    return out


def _curve(sex: str, ga_days: int) -> npt.NDArray[np.float64] | None:
    """P1..P99 for a sex and day, or None when not assessable."""
    if sex not in _SEX_ORDER or ga_days < FIRST_DAY:
        return None
    curve: npt.NDArray[np.float64] = _table()[
        _SEX_ORDER.index(sex), min(ga_days, LAST_DAY) - FIRST_DAY
    ]
    return curve


def birthweight_percentile(sex: str, gestational_age_days: int, weight_g: float) -> float | None:
    """Return the Hoftiezer percentile (0.5-99.5) of a birth weight, or None if not assessable."""
    curve = _curve(sex, gestational_age_days)
    if curve is None or math.isnan(weight_g):
        return None
    if weight_g < curve[0]:
        return BELOW_P1
    if weight_g > curve[-1]:
        return ABOVE_P99
    k = int(np.searchsorted(curve, weight_g, side="right")) - 1  # last percentile <= weight
    if k == len(curve) - 1:
        return 99.0
    low, high = curve[k], curve[k + 1]
    return k + 1 + float((weight_g - low) / (high - low))


def below_p10(sex: str, ga_days: int, weight_g: float) -> bool | None:
    """Return whether the weight is below P10 for sex and day (small for gestational age)."""
    curve = _curve(sex, ga_days)
    if curve is None or math.isnan(weight_g):
        return None
    return bool(weight_g < curve[_P10])


def below_p10_array(
    sex: npt.NDArray[np.str_], ga_days: npt.NDArray[np.integer], weight_g: npt.NDArray[np.floating]
) -> npt.NDArray[np.float64]:
    """Vectorised `below_p10`: 1.0 below P10, 0.0 not below, NaN where not assessable."""
    sex = np.asarray(sex)
    days = np.asarray(ga_days)
    weight = np.asarray(weight_g, dtype=np.float64)
    sex_index = np.where(sex == "M", 0, np.where(sex == "F", 1, -1))
    valid = (sex_index >= 0) & (days >= FIRST_DAY) & ~np.isnan(weight)
    day_index = np.clip(days, FIRST_DAY, LAST_DAY) - FIRST_DAY
    p10 = _table()[np.maximum(sex_index, 0), day_index, _P10]
    return np.where(valid, (weight < p10).astype(np.float64), np.nan)


def p10_table() -> pa.Table:
    """Return P10 per sex ('M'/'F') and day 161-294 for engines that join instead of computing.

    Clamp days above 294 to 294 and leave days under 161 unmatched, as `below_p10` does.
    """
    table = _table()
    days = np.arange(FIRST_DAY, LAST_DAY + 1, dtype=np.int32)
    return pa.table(
        {
            "sex": pa.array(np.repeat(_SEX_ORDER, len(days)).tolist(), pa.string()),
            "ga_days": pa.array(np.tile(days, 2), pa.int32()),
            "p10_g": pa.array(table[:, :, _P10].reshape(-1), pa.float64()),
        }
    )
