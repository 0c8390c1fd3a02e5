"""Run a built dataset through the engine and the reference, and read cells of both.

    result = run(dataset, tmp_path, edition=2021, years=(2021, 2021))
    assert result.cell("2019-07", 2021) == both(1, 2)

``cell`` gives ``{"engine": (numerator, denominator), "reference": (...)}`` (None where
the cell does not exist: no unit in it), so a failure shows both sides at once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from kansrijk.engine.run import RunConfig, compute_unpublished
from tests.spec import reference
from tests.spec.builder import DatasetBuilder
from tests.spec.reference import Cells

Pair = tuple[int, int] | None
NL = ("nl", "NL01")
TOTAL = ("total", "total")


def both(numerator: int, denominator: int) -> dict[str, Pair]:
    """The expected cell, from the engine and from the reference alike."""
    return {"engine": (numerator, denominator), "reference": (numerator, denominator)}


NO_CELL: dict[str, Pair] = {"engine": None, "reference": None}


def engine_cells(
    data_dir: Path,
    out: Path,
    edition: int,
    years: range,
    classification_year: int,
    indicators: tuple[str, ...] | None = None,
) -> Cells:
    config = RunConfig(
        data=data_dir,
        edition=edition,
        years=years,
        classification_year=classification_year,
        out=out,
        indicators=indicators,
    )
    with warnings.catch_warnings():
        # Ibis 12's DuckDB backend calls fetch_arrow_table(), deprecated in DuckDB 2.0: an
        # upstream incompatibility outside the engine's control, not a finding of these tests.
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", DeprecationWarning
        )
        result = compute_unpublished(config)
    cells: Cells = {}
    for r in result.results.to_pylist():
        key = (
            r["indicator_id"],
            r["period_start"],
            r["period_end"],
            r["region_type"],
            r["region_code"],
            r["breakdown"],
            r["breakdown_value"],
        )
        if key in cells:
            raise AssertionError(f"engine returned cell {key} twice")
        cells[key] = (r["numerator"], r["denominator"])
    return cells


@dataclass
class Result:
    engine: Cells
    reference: Cells

    def cell(
        self,
        indicator: str,
        year: int | tuple[int, int],
        region: tuple[str, str] = NL,
        breakdown: tuple[str, str] = TOTAL,
    ) -> dict[str, Pair]:
        start, end = (year, year) if isinstance(year, int) else year
        key = (indicator, start, end, *region, *breakdown)
        return {"engine": self.engine.get(key), "reference": self.reference.get(key)}

    def cells(self, indicator: str) -> dict[str, Cells]:
        """Every cell of one indicator, from both sides."""
        return {
            "engine": {k: v for k, v in self.engine.items() if k[0] == indicator},
            "reference": {k: v for k, v in self.reference.items() if k[0] == indicator},
        }


def run(
    dataset: DatasetBuilder,
    tmp_path: Path,
    *,
    edition: int,
    years: tuple[int, int],
    classification_year: int = 2023,
    indicators: tuple[str, ...] | None = None,
) -> Result:
    """Write ``dataset`` and compute the ``indicators`` (default: all) of ``edition`` both
    ways, over the data years ``years`` (first, last)."""
    span = range(years[0], years[1] + 1)
    data_dir = dataset.write(tmp_path / f"data_{edition}_{classification_year}")
    return Result(
        engine=engine_cells(
            data_dir, tmp_path / "out", edition, span, classification_year, indicators
        ),
        reference=reference.compute(dataset.rows(), edition, span, classification_year, indicators),
    )
