"""The same work three ways at scale 1.0 (issue 18, deliverable 2).

Six indicators of edition 2021 (7, 8 with 8a and 8b, 10, 11 with 11-0/1/2, 12 with 12a and
12b, 15; 13 definitions), yearly totals of every municipality of 2023, the unknown remainder
NL00 and NL, 2017-2022, on the full-population dataset of test_bench_monitor (bench/.data/full,
generated when missing), computed by

* the engine: ``kansrijk.engine.run.compute_unpublished`` restricted to those 13 definitions
  and, like the other two, to no breakdowns (``breakdowns=()``, ``--breakdowns none``): its
  true counts, before disclosure control; it also computes pooled periods, provinces,
  intervals and the input hashes of the provenance, as a run does. The same run with every
  breakdown of the definitions is measured too (``engine_all``), for reference only;
* hand-written DuckDB SQL (bench/same_work/sql.py), with the engine's DuckDB settings;
* a straightforward pandas implementation (bench/same_work/pandas_impl.py);

each in its own process, after one pass over the input files so that none of them pays for a
cold page cache. Wall time and peak memory (ru_maxrss) are per process, imports included;
``compute_seconds`` is the time after the imports. Every cell (numerator and denominator)
must be equal. Targets from the issue: the engine within 1.5x of the hand-written SQL and at
least 10x faster than pandas. Figures go to bench/results/same-work.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from measure import full_dataset, run_child
from same_work import INDICATORS, parquet_files
from same_work.compare import differences
from same_work.sql import TABLES

#: pandas takes minutes at this scale: longer than the suite's default timeout (900 s).
pytestmark = [pytest.mark.bench, pytest.mark.timeout(3600)]

HERE = Path(__file__).parent
ROOT = HERE.parent
RESULTS = HERE / "results"
CLI = [sys.executable, "-m", "kansrijk.cli"]
FIRST, LAST = 2017, 2022
CLASSIFICATION = 2023
TARGET_ENGINE_OVER_SQL = 1.5
TARGET_PANDAS_OVER_ENGINE = 10.0

#: One computation in a fresh process (cwd: the repository root, so ``bench`` imports):
#: argv = kind (engine, engine_all, sql, pandas_impl), data, out, first year, last year,
#: classification.
#: Writes the cells to ``out`` and {"compute_seconds", "timings"} to ``out``.json.
CHILD = """
import importlib, json, sys, time
from pathlib import Path
import pyarrow.parquet as pq
from bench.same_work import INDICATORS
from bench.same_work.compare import engine_cells
kind, data, out, first, last, classification = sys.argv[1:]
years = range(int(first), int(last) + 1)
timings = {}
if kind in ("engine", "engine_all"):
    from kansrijk.engine import RunConfig
    from kansrijk.engine.run import compute_unpublished
    config = RunConfig(data=Path(data), edition=2021, years=years,
                       classification_year=int(classification), out=Path(out + ".unused"),
                       indicators=INDICATORS, breakdowns=None if kind == "engine_all" else ())
    started = time.perf_counter()
    result = compute_unpublished(config)
    table = engine_cells(result.results)
    timings = {k: round(v, 2) for k, v in result.timings.items()}
else:
    module = importlib.import_module("bench.same_work." + kind)
    started = time.perf_counter()
    table = module.compute(Path(data), years, int(classification))
seconds = time.perf_counter() - started
pq.write_table(table, out)
Path(out + ".json").write_text(json.dumps({"compute_seconds": seconds, "timings": timings}))
"""


def misses(seconds: dict[str, float], engine_steps: object) -> list[str]:
    """Which target the measured times miss, and what the engine would need."""
    lines = []
    if seconds["engine"] > TARGET_ENGINE_OVER_SQL * seconds["sql"]:
        lines.append(
            f"engine / SQL misses {TARGET_ENGINE_OVER_SQL}x: it needs "
            f"{TARGET_ENGINE_OVER_SQL * seconds['sql']:.1f} s, takes {seconds['engine']:.1f} s"
        )
    needed = seconds["pandas"] / TARGET_PANDAS_OVER_ENGINE
    if seconds["engine"] > needed:
        where = "below" if needed < seconds["sql"] else "above"
        lines.append(
            f"pandas / engine misses {TARGET_PANDAS_OVER_ENGINE:.0f}x: it needs the engine at "
            f"{needed:.1f} s, {where} the hand-written SQL's {seconds['sql']:.1f} s"
        )
    if lines and isinstance(engine_steps, dict):
        top = sorted(engine_steps.items(), key=lambda kv: -float(kv[1]))[:3]
        lines.append("engine's largest steps: " + ", ".join(f"{k} {v} s" for k, v in top))
    return lines


def _child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a child process."""
    seconds, peak_kib = run_child(args, cwd=ROOT)
    return seconds, peak_kib / 1024


def _warm(data: Path) -> None:
    """Read every input file once, so the page cache favours none of the three."""
    for table in TABLES:
        for f in parquet_files(data, table):
            with f.open("rb") as fh:
                while fh.read(1 << 24):
                    pass


@pytest.fixture(scope="module")
def data() -> Path:
    return full_dataset()


def test_same_work_three_ways(data: Path, tmp_path: Path) -> None:
    _warm(data)
    seconds: dict[str, float] = {}
    peak: dict[str, float] = {}
    inside: dict[str, float] = {}
    timings: dict[str, object] = {}
    cells: dict[str, pa.Table] = {}
    runs = (
        ("engine", "engine"),
        ("sql", "sql"),
        ("pandas", "pandas_impl"),
        ("engine_all", "engine_all"),
    )
    for name, kind in runs:
        out = tmp_path / f"{name}.parquet"
        args = [str(data), str(out), str(FIRST), str(LAST), str(CLASSIFICATION)]
        seconds[name], peak[name] = _child([sys.executable, "-c", CHILD, kind, *args])
        side = json.loads(Path(f"{out}.json").read_text())
        inside[name] = side["compute_seconds"]
        timings[name] = side["timings"]
        cells[name] = pq.read_table(out)
    diffs = {
        name: differences(cells["engine"], cells[name]) for name in ("sql", "pandas", "engine_all")
    }
    engine_over_sql = seconds["engine"] / seconds["sql"]
    pandas_over_engine = seconds["pandas"] / seconds["engine"]
    figures = {
        "scale": 1.0,
        "population": "full",
        "edition": 2021,
        "years": f"{FIRST}-{LAST}",
        "classification": CLASSIFICATION,
        "indicators": list(INDICATORS),
        "cells_compared": len(cells["engine"]),
        "cells_differing": {name: len(d) for name, d in diffs.items()},
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "compute_seconds": {k: round(v, 1) for k, v in inside.items()},
        "peak_mib": {k: round(v) for k, v in peak.items()},
        "ratios": {
            "engine_over_sql": round(engine_over_sql, 2),
            "pandas_over_engine": round(pandas_over_engine, 2),
        },
        "targets": {
            "engine_over_sql_at_most": TARGET_ENGINE_OVER_SQL,
            "pandas_over_engine_at_least": TARGET_PANDAS_OVER_ENGINE,
        },
        "targets_met": {
            "engine_over_sql": engine_over_sql <= TARGET_ENGINE_OVER_SQL,
            "pandas_over_engine": pandas_over_engine >= TARGET_PANDAS_OVER_ENGINE,
        },
        "engine_timings": timings["engine"],
        "engine_all_breakdowns": {
            "seconds": round(seconds["engine_all"], 1),
            "over_sql": round(seconds["engine_all"] / seconds["sql"], 2),
            "timings": timings["engine_all"],
        },
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "same-work.json").write_text(json.dumps(figures, indent=2) + "\n")
    print()
    print(f"{'':10} {'wall s':>8} {'compute s':>10} {'peak MiB':>9} {'cells differing':>16}")
    for name in ("engine", "sql", "pandas", "engine_all"):
        differing = "-" if name == "engine" else str(len(diffs[name]))
        print(
            f"{name:10} {seconds[name]:8.1f} {inside[name]:10.1f} {peak[name]:9.0f} {differing:>16}"
        )
    print(
        f"{len(cells['engine'])} cells; engine / SQL {engine_over_sql:.2f} (target <= "
        f"{TARGET_ENGINE_OVER_SQL}), pandas / engine {pandas_over_engine:.2f} (target >= "
        f"{TARGET_PANDAS_OVER_ENGINE})"
    )
    for line in misses(seconds, timings["engine"]):
        print(line)
    for name, d in diffs.items():
        assert not d, f"{name}: {len(d)} cells differ, first: " + "; ".join(map(str, d[:10]))
    assert engine_over_sql <= TARGET_ENGINE_OVER_SQL, figures
    assert pandas_over_engine >= TARGET_PANDAS_OVER_ENGINE, figures
