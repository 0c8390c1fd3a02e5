"""Child BMI cut-offs of the International Obesity Task Force (IOTF), ages 2-18.

Two editions: '2000' = Cole et al. 2000 (overweight, obesity) with Cole et al. 2007 (thinness
grades), and '2012' = Cole & Lobstein 2012, which adds 'morbid_obesity' (adult BMI 35). The tables
give half-year ages; `iotf_cutoff` interpolates linearly to the exact age, as Cole 2000 says
cut-offs at exact ages may be obtained. The alternative is the LMS method: `iotf_cutoff_lms`
evaluates the 2012 LMS curves at the exact age for any adult BMI. Ages outside 2-18 raise
ValueError, as does a sex other than 'M' or 'F'.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import numpy.typing as npt

from kansrijk.reference._data import SEXES, read_rows

MIN_AGE = 2.0
MAX_AGE = 18.0

_FILES = {
    "2000": "iotf_cole2000_cole2007_bmi_cutoffs.csv",
    "2012": "iotf_cole_lobstein2012_bmi_cutoffs.csv",
}
LMS_FILE = "iotf_cole_lobstein2012_bmi_lms.csv"
_COLUMNS = {
    "2000": {
        "thinness3": "bmi16_thinness3",
        "thinness2": "bmi17_thinness2",
        "thinness1": "bmi18_5_thinness1",
        "overweight": "bmi25_overweight",
        "obesity": "bmi30_obesity",
    },
    "2012": {
        "thinness3": "bmi16",
        "thinness2": "bmi17",
        "thinness1": "bmi18_5",
        "overweight": "bmi25",
        "obesity": "bmi30",
        "morbid_obesity": "bmi35",
    },
}

Curve = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]


def _check(sex: str, age_years: float) -> str:
    if sex not in SEXES:
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if not MIN_AGE <= age_years <= MAX_AGE:
        raise ValueError(f"age {age_years} is outside the IOTF range {MIN_AGE:g}-{MAX_AGE:g} years")
    return SEXES[sex]


@cache
def _curve(file: str, sex: str, column: str) -> Curve:
    """(ages, values) of one column for one sex ('male'/'female'), sorted by age."""
    rows = sorted(
        (float(r["age_years"]), float(r[column])) for r in read_rows(file) if r["sex"] == sex
    )
    ages, values = zip(*rows, strict=True)
    return np.array(ages), np.array(values)


def _at(curve: Curve, age_years: float) -> float:
    return float(np.interp(age_years, *curve))


def iotf_cutoff(
    sex: str, age_years: float, cutoff: str = "overweight", edition: str = "2000"
) -> float:
    """Return the IOTF BMI cut-off (kg/m²) at an exact age, interpolated between half years."""
    if edition not in _COLUMNS:
        raise ValueError(f"edition must be one of {sorted(_COLUMNS)}, not {edition!r}")
    if cutoff not in _COLUMNS[edition]:
        raise ValueError(
            f"cut-off {cutoff!r} not in edition {edition}: {sorted(_COLUMNS[edition])}"
        )
    file_sex = _check(sex, age_years)
    return _at(_curve(_FILES[edition], file_sex, _COLUMNS[edition][cutoff]), age_years)


def iotf_cutoff_lms(sex: str, age_years: float, bmi_adult: float) -> float:
    """Return the 2012 LMS cut-off at an exact age for the curve through `bmi_adult` at 18.

    z = ((bmi_adult / M18)^L18 - 1) / (L18 * S18) and BMI(age) = M * (1 + L * S * z)^(1 / L), with
    L, M and S interpolated linearly in age.
    """
    file_sex = _check(sex, age_years)
    lms = [_curve(LMS_FILE, file_sex, c) for c in ("L", "M", "S")]
    l18, m18, s18 = (_at(c, MAX_AGE) for c in lms)
    z = ((bmi_adult / m18) ** l18 - 1) / (l18 * s18)
    lam, mu, sigma = (_at(c, age_years) for c in lms)
    return float(mu * (1 + lam * sigma * z) ** (1 / lam))


def is_overweight(sex: str, age_years: float, bmi: float, edition: str = "2000") -> bool:
    """Return whether a child's BMI is at or above the IOTF overweight cut-off (incl. obesity)."""
    return bmi >= iotf_cutoff(sex, age_years, "overweight", edition)


def bmi(weight_kg: float, height_cm: float) -> float:
    """Return body-mass index in kg/m² from weight in kg and height in cm."""
    if not height_cm > 0 or math.isnan(weight_kg):
        raise ValueError(
            f"height must be positive and weight a number, got {height_cm}, {weight_kg}"
        )
    return weight_kg / (height_cm / 100) ** 2
