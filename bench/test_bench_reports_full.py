"""Reports at scale 1.0 (issue 17, deliverable 4): each command as a user runs it.

Targets on this 2-core machine: `kansrijk report national` (HTML + PDF) within 15 s,
`kansrijk report local` (HTML + PDF + CSV of one municipality) within 5 s and `kansrijk report
export` (Excel, CSV, Parquet, FHIR) within 15 s, each a fresh process (imports included). The
baseline measured in the same run is the floor every command pays: a process that imports the
package and opens and checks the run (`Publication.open`). The PDFs are printed by chromium
(the default); national and local are timed again with ``--pdf-engine weasyprint``. Figures,
and each as a ratio against the baseline, go to bench/results/reports-full.json.

The run is edition 2021, 2016-2020, on the full-population dataset of test_bench_monitor
(bench/.data/full, generated when missing), with the default audit work; it is cached in
bench/.data/full-run-2021 (delete it after changing the engine or the gate).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from measure import full_dataset

pytestmark = pytest.mark.bench

HERE = Path(__file__).parent
RUN = HERE / ".data" / "full-run-2021"
RESULTS = HERE / "results"
CLI = [sys.executable, "-m", "kansrijk.cli"]
TARGETS = {"national": 15.0, "local": 5.0, "export": 15.0}


def _seconds(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, text=True)
    return round(time.perf_counter() - started, 2)


@pytest.fixture(scope="module")
def run() -> Path:
    data = full_dataset()
    if not (RUN / "manifest.json").exists():
        subprocess.run(
            [*CLI, "monitor", "run", "--data", str(data), "--edition", "2021", "--years",
             "2016-2020", "--out", str(RUN), "--formats", "parquet"],
            check=True,
        )  # fmt: skip
    return RUN


def test_reports_at_scale_one(run: Path, tmp_path: Path) -> None:
    opened = (
        "import sys; from pathlib import Path; from kansrijk.publication import Publication;"
        "Publication.open(Path(sys.argv[1]))"
    )
    timings = {
        "open and check the run (baseline)": _seconds([sys.executable, "-c", opened, str(run)])
    }
    out = tmp_path / "report"
    timings["national"] = _seconds([*CLI, "report", "national", "-r", str(run), "-o", str(out)])
    timings["local"] = _seconds(
        [*CLI, "report", "local", "-m", "GM0363", "-r", str(run), "-o", str(out), "--no-platform"]
    )
    # The same two reports printed by WeasyPrint (the engine before chromium, and the one for
    # machines without a browser), for the ratio.
    slow = tmp_path / "weasyprint"
    timings["national (weasyprint)"] = _seconds(
        [*CLI, "report", "national", "-r", str(run), "-o", str(slow), "--pdf-engine", "weasyprint"]
    )
    timings["local (weasyprint)"] = _seconds(
        [*CLI, "report", "local", "-m", "GM0363", "-r", str(run), "-o", str(slow), "--no-platform",
         "--pdf-engine", "weasyprint"]
    )  # fmt: skip
    timings["export"] = _seconds(
        [*CLI, "report", "export", "-r", str(run), "-o", str(tmp_path / "x")]
    )
    names = {p.name for p in out.iterdir()} | {p.name for p in (tmp_path / "x").iterdir()}
    assert {"factsheet-nl.html", "factsheet-nl.pdf", "GM0363-nl.pdf", "GM0363-nl.csv"} <= names
    baseline = timings["open and check the run (baseline)"]
    figures = {
        "scale": 1.0,
        "run": {
            "edition": 2021,
            "years": "2016-2020",
            "rows": json.loads((run / "manifest.json").read_text())["rows"],
        },
        "seconds": timings,
        "ratio_to_baseline": {k: round(v / baseline, 2) for k, v in timings.items()},
        "targets_seconds": TARGETS,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reports-full.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    for name, target in TARGETS.items():
        assert timings[name] <= target, figures
