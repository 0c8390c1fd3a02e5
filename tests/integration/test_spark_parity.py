"""The same definitions on Spark (issue 18): a run on Spark ``local[2]`` gives the results
table DuckDB gives, cell by cell, for editions 2021 and 2024.

One run computes both editions (``extra_editions``), as `kansrijk monitor run --edition 2021
--edition 2024` does, on a synthetic Netherlands at scale 0.05 (the issue's scale) with data
years 2019-2023. That is enough, because parity is a property of the queries, not of the
data's size: every query the engine runs (each family's units, every intermediate table,
every cell aggregation, the five-year pooled windows, every breakdown of both editions) runs
on both backends; what more data adds is more rows through the same queries. The data
carry a `vulnerability_predictions` table (probabilities drawn here for every mother-year of
`vulnerability_predictors`), so the drawn label of 2024-14 and the vulnerability breakdown,
the one place where the backends' functions differ most (MD5 and hex digits), are compared
too. Spark's cost at this size is its fixed cost per query (~1-5 s each), not the data; see
docs/scale-out.md for the timings.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kansrijk.engine.run import RunConfig, RunResult, compute_unpublished
from kansrijk.indicators import catalogue
from kansrijk.publication.schema import CELL_KEYS
from kansrijk.synth import SynthConfig, generate

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.slow, pytest.mark.integration]

SCALE = 0.05
YEARS = range(2019, 2024)
EDITIONS = (2021, 2024)
# A cell's keys (one run: one classification year).
KEYS = tuple(k for k in CELL_KEYS if k != "classification_year")
FLOATS = ("value", "ci_low", "ci_high")


def _add_predictions(data: Path, seed: int = 18) -> None:
    """Three imputations' probabilities for every row of `vulnerability_predictors`."""
    keys = pq.read_table(data / "vulnerability_predictors.parquet", columns=["person_id", "year"])
    n = len(keys)
    probabilities = np.random.default_rng(seed).beta(1.0, 6.0, size=(n, 3))
    missing = pa.nulls(n, pa.float64())
    pq.write_table(
        pa.table(
            {
                "person_id": keys["person_id"],
                "year": keys["year"],
                **{f"probability_{k + 1}": probabilities[:, k] for k in range(3)},
                "probability_4": missing,
                "probability_5": missing,
                "label": probabilities[:, 0] >= 0.5,
                "n_imputed": np.zeros(n, dtype=np.int64),
                "model_id": pa.array(["parity"] * n, pa.string()),
            }
        ),
        data / "vulnerability_predictions.parquet",
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spark-parity") / "nl"
    generate(SynthConfig(first_year=2015, last_year=YEARS[-1], scale=SCALE, seed=18), out)
    _add_predictions(out)
    return out


def _run(data: Path, engine: str) -> RunResult:
    return compute_unpublished(
        RunConfig(
            data=data,
            edition=EDITIONS[0],
            extra_editions=EDITIONS[1:],
            years=YEARS,
            classification_year=2023,
            out=data.parent / f"out-{engine}",
            engine=engine,
            spark_master="local[2]" if engine == "spark" else None,
        )
    )


@pytest.fixture(scope="module")
def runs(data: Path) -> Iterator[tuple[RunResult, RunResult]]:
    from pyspark.sql import SparkSession

    try:
        yield _run(data, "duckdb"), _run(data, "spark")
    finally:
        session = SparkSession.getActiveSession()
        if session is not None:
            session.stop()


def _rows(table: pa.Table) -> dict[tuple[object, ...], dict[str, object]]:
    rows = {tuple(r[k] for k in KEYS): r for r in table.to_pylist()}
    assert len(rows) == len(table), "the cell keys are not unique"
    return rows


def _same_float(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    assert isinstance(a, float) and isinstance(b, float)
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9


def test_spark_results_equal_duckdb_cell_by_cell(
    runs: tuple[RunResult, RunResult],
) -> None:
    duck, spark = runs
    assert spark.results.schema == duck.results.schema
    assert set(duck.results["edition"].to_pylist()) == set(EDITIONS)
    expected, got = _rows(duck.results), _rows(spark.results)
    assert got.keys() == expected.keys()
    different = []
    for key, want in expected.items():
        have = got[key]
        for column, value in want.items():
            same = _same_float(value, have[column]) if column in FLOATS else value == have[column]
            if not same:
                different.append((key, column, value, have[column]))
    assert not different, f"{len(different)} values differ, e.g. {different[:5]}"


def test_the_run_covers_what_the_parity_claims(runs: tuple[RunResult, RunResult]) -> None:
    """Both editions, pooled windows, every breakdown, the drawn vulnerability label, and
    nothing skipped: the comparison above is not vacuous."""
    duck, spark = runs
    rows = duck.results
    assert not duck.manifest["skipped"]
    for edition in EDITIONS:
        ids = rows.filter(pc.equal(rows["edition"], edition))["indicator_id"]
        computed = set(ids.to_pylist())
        assert len(computed) == len(catalogue(edition)), edition
    pooled = [s != e for s, e in zip(rows["period_start"], rows["period_end"], strict=True)]
    assert any(pooled)
    assert "vulnerability" in rows["breakdown"].to_pylist()
    drawn = [
        r["numerator"]
        for r in rows.to_pylist()
        if r["indicator_id"] == "2024-14" and r["region_type"] == "nl" and r["breakdown"] == "total"
    ]
    assert drawn and all(n > 0 for n in drawn)
    # The notes (true counts per family and year) and the run id agree as well.
    assert spark.notes == duck.notes
    assert spark.manifest["run_id"] == duck.manifest["run_id"]
