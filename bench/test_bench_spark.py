"""DuckDB against Spark (issue 18): wall time of `kansrijk monitor run` on both engines.

Both editions (2021 and 2024), data years 2015-2024, on synthetic Netherlands at scale 0.05
and 0.2 (generated once into bench/.data/spark-<scale>, seconds each) and, with
KANSRIJK_BENCH_SPARK_FULL=1, at scale 1.0 on bench/.data/full (the monitor benchmark's
dataset; Spark takes many minutes there). KANSRIJK_BENCH_SPARK_SCALES=0.2,1.0 picks scales.
Spark runs on ``local[1]`` and ``local[2]``: the two give the model of docs/scale-out.md,
T(N) = fixed + work / N, fitted per scale on the query part of the run (the disclosure
control and the writing do not depend on the engine). Figures go to bench/results/spark.json
(merged per scale, written after each); docs/scale-out.md quotes them. About 25 minutes for
the two small scales on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from measure import CLI, FULL_DATA, full_dataset, run_child

#: Six monitor runs per scale, two of them on one core: beyond the suite's 900 s.
pytestmark = [pytest.mark.bench, pytest.mark.timeout(4 * 3600)]

HERE = Path(__file__).parent
RESULTS = HERE / "results"
YEARS = "2015-2024"
SCALES = (0.05, 0.2)
SPARK_MASTERS = ("local[1]", "local[2]")


def dataset(scale: float) -> Path:
    """A synthetic Netherlands at ``scale`` (parents only), generated when missing."""
    if scale == 1.0:
        return full_dataset()
    out = HERE / ".data" / f"spark-{scale}"
    if not (out / "synth-manifest.json").exists():
        subprocess.run(
            [*CLI, "synth", "--years", YEARS, "--scale", str(scale), "--out", str(out),
             "--overwrite"],
            check=True,
        )  # fmt: skip
    return out


def monitor(data: Path, out: Path, engine: str, master: str | None = None) -> dict[str, object]:
    """Wall seconds of one `monitor run`, and the manifest's split (query part first)."""
    args = [
        *CLI, "monitor", "run", "--data", str(data), "--edition", "2021", "--edition", "2024",
        "--years", YEARS, "--classification", "2023", "--out", str(out), "--formats", "parquet",
        "--engine", engine,
    ]  # fmt: skip
    if master:
        args += ["--spark-master", master]
    seconds, _ = run_child(args)
    split = json.loads((out / "manifest.json").read_text())["timings_seconds"]
    after = {"disclosure control", "write outputs"}
    queries = sum(v for k, v in split.items() if k not in after)
    return {
        "seconds": round(seconds, 1),
        "query_seconds": round(queries, 1),
        "rest_seconds": round(seconds - queries, 1),
    }


def fit(one: float, two: float) -> dict[str, float]:
    """fixed + work / N through the local[1] and local[2] query times."""
    work = 2 * (one - two)
    return {"fixed_seconds": round(one - work, 1), "work_seconds": round(work, 1)}


def test_duckdb_against_spark(tmp_path: Path) -> None:
    scales = [*SCALES, *([1.0] if os.environ.get("KANSRIJK_BENCH_SPARK_FULL") else [])]
    if os.environ.get("KANSRIJK_BENCH_SPARK_SCALES"):
        scales = [float(s) for s in os.environ["KANSRIJK_BENCH_SPARK_SCALES"].split(",")]
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "spark.json"
    figures: dict[str, object] = json.loads(target.read_text()) if target.exists() else {}
    for scale in scales:
        data = dataset(scale)
        entry: dict[str, object] = {
            "data": str(data.relative_to(HERE)) if data != FULL_DATA else "bench/.data/full",
            "duckdb": monitor(data, tmp_path / f"duckdb-{scale}", "duckdb"),
        }
        for master in SPARK_MASTERS:
            entry[f"spark {master}"] = monitor(
                data, tmp_path / f"spark-{scale}-{master}", "spark", master
            )
        one = entry["spark local[1]"]
        two = entry["spark local[2]"]
        assert isinstance(one, dict) and isinstance(two, dict)
        entry["model"] = fit(float(one["query_seconds"]), float(two["query_seconds"]))
        figures[str(scale)] = entry
        # The published tables are the same whichever engine computed them.
        duck = pq.read_table(tmp_path / f"duckdb-{scale}" / "results.parquet")
        spark = pq.read_table(tmp_path / f"spark-{scale}-local[2]" / "results.parquet")
        entry["same_published_table"] = duck.equals(spark)
        target.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
        assert entry["same_published_table"], scale
    print(json.dumps(figures, indent=2))
