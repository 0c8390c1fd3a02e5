"""The same-work benchmark's two implementations (bench/same_work) equal the engine.

Hand-written DuckDB SQL and plain pandas compute six indicators of edition 2021 (7, 8 with 8a
and 8b, 10, 11 with 11-0/1/2, 12 with 12a and 12b, 15) without the engine; here, on the
session's small synthetic run, every yearly cell of every municipality, the unknown
remainder NL00 and NL must equal the engine's true counts (numerator and denominator), so
bench/test_bench_same_work.py times three programs that do the same work.

``bench`` is importable because pytest puts the repository root on sys.path for the
``tests`` package (rootdir-relative imports, the default "prepend" mode).
"""

from __future__ import annotations

from types import ModuleType

import pyarrow.compute as pc
import pytest
from bench.same_work import INDICATORS, pandas_impl, sql
from bench.same_work.compare import differences, engine_cells, summary

from ..conftest import MonitorRun

pytestmark = [pytest.mark.slow, pytest.mark.integration]

YEARS = range(2016, 2021)
CLASSIFICATION = 2023
MUNICIPALITIES_2023 = 342


@pytest.mark.parametrize("implementation", [sql, pandas_impl], ids=["sql", "pandas"])
def test_same_cells_as_the_engine(monitor_run: MonitorRun, implementation: ModuleType) -> None:
    engine = engine_cells(monitor_run.unpublished)
    assert set(engine["indicator_id"].to_pylist()) == set(INDICATORS)
    other = implementation.compute(monitor_run.data, YEARS, CLASSIFICATION)
    diffs = differences(engine, other)
    assert not diffs, f"{len(diffs)} cells differ, first: " + "; ".join(map(str, diffs[:10]))
    # Every municipality of 2023, NL00 and NL01 in every year: nothing left out.
    counts = summary(engine, other)
    assert {c["cells"] for c in counts.values()} == {(MUNICIPALITIES_2023 + 2) * len(YEARS)}
    # Not vacuous: every indicator counts a population and finds cases in it nationally.
    nl = other.filter(pc.equal(other["region_code"], "NL01")).to_pylist()
    assert all(r["denominator"] > 0 for r in nl), nl
    found = {r["indicator_id"] for r in nl if r["numerator"] > 0}
    assert found == set(INDICATORS)
