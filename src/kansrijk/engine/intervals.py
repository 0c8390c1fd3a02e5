"""The 95% interval of a definition's cells: the unit's usual interval, or the method its
outcome registers here.

Every proportion gets Wilson's interval and every rate the exact Poisson one
(``kansrijk.stats.interval_for_unit``), from the cell's numerator and denominator alone. An
outcome whose uncertainty is more than sampling declares an `IntervalMethod`: the unit-table
columns it needs summed per cell (``kansrijk.engine.aggregate.cells`` adds their sums and
non-NULL counts to the cells, in the same query as the counts) and the function that turns
them into the interval. Today one outcome does: the predicted multidimensional vulnerability
of 2023-11 and 2024-14, whose interval adds the imputation uncertainty by Rubin's rules
(``kansrijk.engine.vulnerability.rubin_interval``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from kansrijk.engine import vulnerability
from kansrijk.stats import interval_for_unit
from kansrijk.stats.units import scale_of

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: (numerator, denominator, per-cell sums, per-cell non-NULL counts) -> proportions (low, high).
IntervalFunction = Callable[
    [IntArray, IntArray, Mapping[str, IntArray], Mapping[str, IntArray]],
    tuple[FloatArray, FloatArray],
]


@dataclass(frozen=True)
class IntervalMethod:
    """How an outcome's interval is computed when the unit's usual one does not say enough."""

    #: What the interval covers, for the manifest and the docs.
    name: str
    #: Integer unit-table columns summed per cell (NULL counts as nothing) and counted.
    columns: tuple[str, ...]
    #: Proportions in [0, 1] (NaN where the denominator is 0), scaled to the unit by `interval`.
    compute: IntervalFunction


#: outcome -> its interval method (outcomes not here: ``interval_for_unit``).
METHODS: Final[Mapping[str, IntervalMethod]] = {
    vulnerability.OUTCOME: IntervalMethod(
        name="Rubin's rules over the imputations: imputation and sampling uncertainty",
        columns=vulnerability.UNIT_PROBABILITY_COLUMNS,
        compute=vulnerability.cell_interval,
    ),
}


def sum_name(column: str) -> str:
    """The cell column holding the sum of unit column ``column``."""
    return f"s_{column}"


def count_name(column: str) -> str:
    """The cell column holding how many units have ``column`` (non-NULL)."""
    return f"c_{column}"


def summed_columns(outcomes: Iterable[str]) -> tuple[str, ...]:
    """The unit columns the interval methods of ``outcomes`` need per cell (in order, once)."""
    found = (c for o in outcomes if o in METHODS for c in METHODS[o].columns)
    return tuple(dict.fromkeys(found))


def interval(
    unit: str, outcome: str, numerator: IntArray, denominator: IntArray, cells: pa.Table
) -> tuple[FloatArray, FloatArray]:
    """The interval of each cell in the unit's scale (NaN where the denominator is 0).

    ``cells`` holds the rows of ``numerator`` and ``denominator`` with the sum and count
    columns of the outcome's method (`sum_name`, `count_name`)."""
    method = METHODS.get(outcome)
    if method is None:
        return interval_for_unit(unit, numerator, denominator)
    sums = {c: cells[sum_name(c)].to_numpy().astype(np.int64) for c in method.columns}
    counts = {c: cells[count_name(c)].to_numpy().astype(np.int64) for c in method.columns}
    low, high = method.compute(numerator, denominator, sums, counts)
    scale = scale_of(unit)
    return low * scale, high * scale


__all__ = [
    "METHODS",
    "IntervalMethod",
    "count_name",
    "interval",
    "sum_name",
    "summed_columns",
]
