"""Synthetic Netherlands at scale 1.0: ten years in <= 3 minutes and <= 6 GB (issue 2).

Figures are written to bench/results/synth.json. The baseline measured in the same run is one
full DuckDB scan of every written Parquet file, so the generation time is also reported as a
multiple of "reading the output once".
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.bench

RESULTS = Path(__file__).parent / "results"


def _run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak_kib, before) / 1024**2


def test_generate_ten_years_at_scale_one(tmp_path: Path) -> None:
    out = tmp_path / "nl"
    cli = [sys.executable, "-m", "kansrijk.cli"]
    seconds, peak_gib = _run(
        [*cli, "synth", "--years", "2015-2024", "--scale", "1.0", "--out", str(out)]
    )
    scan_started = time.perf_counter()
    con = duckdb.connect()
    rows = 0
    for path in sorted(out.iterdir()):
        if path.suffix == ".parquet" or path.is_dir():
            pattern = f"{path}/*.parquet" if path.is_dir() else str(path)
            rows += con.execute(
                f"SELECT count(*) FROM read_parquet('{pattern}') WHERE NOT (columns(*) IS NULL)"
            ).fetchone()[0]  # type: ignore[index]
    scan = time.perf_counter() - scan_started
    validate_seconds, validate_peak = _run([*cli, "registry", "validate", str(out)])
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    figures = {
        "generate_seconds": round(seconds, 1),
        "generate_peak_gib": round(peak_gib, 2),
        "rows": rows,
        "bytes_on_disk": size,
        "baseline_full_scan_seconds": round(scan, 2),
        "generate_over_scan_ratio": round(seconds / scan, 1),
        "validate_seconds": round(validate_seconds, 1),
        "validate_peak_gib": round(validate_peak, 2),
        "validate_rows_per_second": round(rows / validate_seconds),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "synth.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    assert seconds <= 180, figures
    assert peak_gib <= 6.0, figures
