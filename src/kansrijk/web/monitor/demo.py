"""Demo monitor results: a synthetic Netherlands run through the monitor, for a first start.

A new user of ``kansrijk serve`` gets a working monitor without registry data: the demo loader
generates synthetic registries (scale 0.02, birth years 2015-2020), runs the monitor on them
(edition 2021, data years 2016-2020, municipalities of 2023) and puts the published run in the
monitor directory. It takes about 20 seconds. The run carries a ``demo.json`` marker, so the
pages say that the figures are synthetic.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from kansrijk.web.monitor.presentation import DEMO_MARKER

SCALE: Final = 0.02
BIRTH_YEARS: Final = (2015, 2020)
MONITOR_YEARS: Final = range(2016, 2021)
EDITION: Final = 2021
CLASSIFICATION_YEAR: Final = 2023
SEED: Final = 20190101


def has_results(directory: Path) -> bool:
    return (directory / "results.parquet").is_file()


def build_demo_results(directory: Path, echo: Callable[[str], object] = print) -> Path:
    """Generate, compute and publish the demo run into ``directory``; return it.

    Everything is built in a temporary sibling first; the run's internal audit files then move
    beside ``directory`` (`kansrijk.publication.internal_dir`, never served) and its published
    files into it, ``results.parquet`` last, so a server watching the directory never sees half
    a run.
    """
    from kansrijk.engine import RunConfig, run_monitor  # noqa: PLC0415 (heavy, rarely needed)
    from kansrijk.publication import internal_dir  # noqa: PLC0415
    from kansrijk.synth import SynthConfig, generate  # noqa: PLC0415

    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    echo(
        f"Building demo monitor results from a synthetic Netherlands (scale {SCALE}, "
        f"{BIRTH_YEARS[0]}-{BIRTH_YEARS[1]}); this takes about 20 seconds ..."
    )
    with tempfile.TemporaryDirectory(prefix=".monitor-demo-", dir=directory.parent) as tmp:
        data = Path(tmp) / "synth"
        out = Path(tmp) / "monitor"
        generate(
            SynthConfig(
                first_year=BIRTH_YEARS[0], last_year=BIRTH_YEARS[1], scale=SCALE, seed=SEED
            ),
            data,
        )
        result = run_monitor(
            RunConfig(
                data=data,
                edition=EDITION,
                years=MONITOR_YEARS,
                classification_year=CLASSIFICATION_YEAR,
                out=out,
                formats=("parquet", "csv"),
                # The quick budget (the run's own default settles every count but takes
                # minutes): what it leaves unsettled is reported in the manifest.
                audit_work=2000.0,
                withhold=False,
            )
        )
        marker = {
            "synthetic": True,
            "scale": SCALE,
            "seed": SEED,
            "birth_years": list(BIRTH_YEARS),
            "note": "Demo results from synthetic data (kansrijk.synth); not real figures.",
        }
        (out / DEMO_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        audit = internal_dir(out)
        if audit.is_dir():
            target = internal_dir(directory)
            if target.exists():
                shutil.rmtree(target)
            audit.replace(target)
        directory.mkdir(exist_ok=True)
        files = sorted(out.iterdir(), key=lambda p: p.name == "results.parquet")
        for path in files:
            path.replace(directory / path.name)
    echo(
        f"Demo monitor results (run {result.manifest['run_id']}) written to {directory} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return directory
