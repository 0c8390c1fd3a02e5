"""Reports at scale 0.2 (issue 5's "done when"): both reports build, with timings.

On synthetic data at scale 0.2 (2015-2020, monitor 2016-2020 on 2023 boundaries) this builds the
national factsheet and the local monitor of Amsterdam (HTML and PDF) and the full export. The
baseline measured in the same run is the monitor run itself; each figure is also reported as a
ratio against it. Figures go to bench/results/reports.json.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from kansrijk.engine import RunConfig, run_monitor
from kansrijk.export import export_all, workbook_bytes
from kansrijk.publication import Publication
from kansrijk.report.build import build_local, build_national
from kansrijk.synth import SynthConfig, generate

pytestmark = pytest.mark.bench

HERE = Path(__file__).parent
RESULTS = HERE / "results"


def _timed(
    label: str, timings: dict[str, float], fn: object, *args: object, **kw: object
) -> object:
    started = time.perf_counter()
    out = fn(*args, **kw)  # type: ignore[operator]
    timings[label] = round(time.perf_counter() - started, 2)
    return out


def test_reports_at_scale_0_2(tmp_path: Path) -> None:
    timings: dict[str, float] = {}
    data = tmp_path / "synth"
    generate(SynthConfig(first_year=2015, last_year=2020, scale=0.2, seed=20190101), data)
    out = tmp_path / "monitor"
    config = RunConfig(
        data=data, edition=2021, years=range(2016, 2021), classification_year=2023, out=out
    )
    _timed("monitor run (baseline)", timings, run_monitor, config)
    published = _timed("open and check the run", timings, Publication.open, out)
    assert isinstance(published, Publication)
    reports = tmp_path / "report"
    national = _timed("national factsheet html+pdf", timings, build_national, published, reports)
    local = _timed(
        "local monitor GM0363 html+pdf", timings, build_local, published, "GM0363", reports
    )
    _timed(
        "workbook GM0363 (web download)", timings, workbook_bytes, published, municipality="GM0363"
    )
    _timed("full export", timings, export_all, published, tmp_path / "export")
    files = [*national, *local]  # type: ignore[misc]
    pages = {}
    for path in files:
        assert path.stat().st_size > 0
        if path.suffix == ".pdf":
            info = subprocess.run(
                ["pdfinfo", str(path)], capture_output=True, text=True, check=True
            )
            pages[path.name] = int(info.stdout.split("Pages:")[1].split()[0])
    assert pages["factsheet-nl.pdf"] > len(published.indicators)
    baseline = timings["monitor run (baseline)"]
    figures = {
        "scale": 0.2,
        "seconds": timings,
        "ratio_to_monitor_run": {k: round(v / baseline, 2) for k, v in timings.items()},
        "pdf_pages": pages,
        "html_bytes": {p.name: p.stat().st_size for p in files if p.suffix == ".html"},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reports.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
