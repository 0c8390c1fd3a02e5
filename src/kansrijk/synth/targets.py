"""Published national figures the synthetic Netherlands is calibrated to.

Values come from RIVM's "Monitor Kansrijke Start 2021" (see
``shared/spec/indicators.md``). Years without a published figure are filled by
linear interpolation between published years, or carried flat beyond them, and
marked ``published=False``; the calibration report only holds the generator to
published values, and to the direction of the 2016-2020 trend.

The generator never writes these numbers into a table. It uses them to set the
intercepts of person-level mechanisms (see ``kansrijk.synth.calibrate``); the
figures in the data arise from simulated people and are measured back from the
written files by ``kansrijk.synth.report``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One national figure: indicator key, year, value, unit and whether published."""

    key: str
    year: int
    value: float
    unit: str  # "%" or "per 1,000"
    published: bool
    tolerance: float  # allowed absolute deviation at scale 1.0, in the unit


#: Published points per indicator key: {year: value}. Units: % unless noted.
PUBLISHED: dict[str, dict[int, float]] = {
    "care_after_week_10": {2019: 14.5},
    "debts": {2016: 3.1, 2020: 1.9},
    "debts_arrears": {2020: 1.7},
    "debts_wsnp": {2016: 0.4, 2020: 0.2},
    "no_kraamzorg": {2016: 6.3, 2020: 9.5},
    "risk_factors_3plus": {2016: 5.3, 2019: 4.9},
    "risk_factors_2": {2019: 9.0},
    "risk_factors_1": {2019: 28.0},
    "risk_factors_0": {2019: 58.0},
    "big2": {2020: 15.0},
    "preterm": {2016: 6.9, 2020: 6.7},
    "sga": {2016: 10.5, 2020: 9.8},
    "speech_language": {2018: 5.1, 2019: 5.3, 2020: 5.0},
    "overweight_2y": {2018: 8.3, 2019: 8.4, 2020: 9.4},
    "placements_per_1000": {2016: 2.0, 2020: 1.8},
}

#: Unpublished anchor points that shape the series where the text describes it
#: (figures read from the monitor's charts, or stated trends). Not checked.
SHAPE: dict[str, dict[int, float]] = {
    # "stable between 2014 and 2019, slight increase in 2019"
    "care_after_week_10": {2015: 13.8, 2018: 13.9, 2020: 14.6},
    # chart of figure 10: 3.1, 2.8, 2.4, 2.2, 1.9
    # (arrears 2.7 ... 1.7; WSNP 0.4, 0.3, 0.3, 0.2, 0.2)
    "debts": {2017: 2.8, 2018: 2.4, 2019: 2.2},
    "debts_arrears": {2016: 2.7, 2017: 2.5, 2018: 2.1, 2019: 2.0},
    "debts_wsnp": {2017: 0.3, 2018: 0.3, 2019: 0.2},
    "big2": {2016: 15.8},
    # "both percentages show a slight decline since 2018"
    "preterm": {2018: 6.9},
    "sga": {2018: 10.4},
    # counts of children with JGZ data at scale 1.0 (2018-2020), used for coverage
    "speech_language_n": {2018: 91920, 2019: 91092, 2020: 58480},
    "overweight_2y_n": {2018: 84987, 2019: 83909, 2020: 45414},
}

UNITS: dict[str, str] = {"placements_per_1000": "per 1,000"}

#: Tolerance at scale 1.0: 0.3 percentage points, 0.2 per 1,000 for placements;
#: the distribution of risk factors is given rounded to whole percentages.
TOLERANCE: dict[str, float] = {
    "placements_per_1000": 0.2,
    "risk_factors_2": 0.6,
    "risk_factors_1": 0.6,
    "risk_factors_0": 0.6,
}


def series(key: str, years: range | list[int]) -> dict[int, float]:
    """The full yearly series for ``key``: published and shape points, interpolated."""
    points = {**SHAPE.get(key, {}), **PUBLISHED.get(key, {})}
    if not points:
        raise KeyError(f"no target series {key!r}")
    known = sorted(points)
    out: dict[int, float] = {}
    for year in years:
        if year <= known[0]:
            out[year] = points[known[0]]
        elif year >= known[-1]:
            out[year] = points[known[-1]]
        else:
            lo = max(k for k in known if k <= year)
            hi = min(k for k in known if k >= year)
            if lo == hi:
                out[year] = points[lo]
            else:
                w = (year - lo) / (hi - lo)
                out[year] = points[lo] + w * (points[hi] - points[lo])
    return out


def targets() -> list[Target]:
    """Every published figure as a checkable target."""
    out = []
    for key, points in PUBLISHED.items():
        for year, value in sorted(points.items()):
            out.append(
                Target(
                    key=key,
                    year=year,
                    value=value,
                    unit=UNITS.get(key, "%"),
                    published=True,
                    tolerance=TOLERANCE.get(key, 0.3),
                )
            )
    return out
