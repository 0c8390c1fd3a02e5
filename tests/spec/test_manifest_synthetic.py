"""The run's manifest says whether its dataset is synthetic (the marker of `kansrijk synth`)."""

from __future__ import annotations

import json
import warnings
from datetime import date
from pathlib import Path

from kansrijk.engine.run import RunConfig, compute_unpublished
from kansrijk.registry.synthetic import SYNTH_MANIFEST
from tests.spec.builder import DatasetBuilder


def test_manifest_records_the_synthetic_marker(tmp_path: Path) -> None:
    d = DatasetBuilder()
    d.child(d.mother_in("GM0363"), date(2021, 5, 15))
    data = d.write(tmp_path / "data")
    config = RunConfig(
        data=data,
        edition=2021,
        years=range(2021, 2022),
        classification_year=2023,
        out=tmp_path / "out",
        indicators=("2019-10",),
    )
    with warnings.catch_warnings():
        # as in tests/spec/harness.py: Ibis 12 calls DuckDB 2.0's deprecated fetch_arrow_table
        warnings.filterwarnings(
            "ignore", r"fetch_arrow_table\(\) is deprecated", DeprecationWarning
        )
        assert compute_unpublished(config).manifest["synthetic"] is False
        (data / SYNTH_MANIFEST).write_text(json.dumps({"synthetic": True}), encoding="utf-8")
        assert compute_unpublished(config).manifest["synthetic"] is True
