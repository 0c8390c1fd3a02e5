"""The monitor on synthetic data: national values match the published figures, nothing below
the threshold is published, a rerun is byte-identical, a missing table names its indicators."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kansrijk.engine import MissingTablesError, RunConfig, run_monitor
from kansrijk.synth import SynthConfig, generate
from kansrijk.synth import targets as synth_targets

pytestmark = [pytest.mark.slow, pytest.mark.integration]

SCALE = 0.2
TARGET_KEYS = {
    "2019-07": "care_after_week_10",
    "2019-08": "debts",
    "2019-08a": "debts_arrears",
    "2019-08b": "debts_wsnp",
    "2019-10": "no_kraamzorg",
    "2019-11": "risk_factors_3plus",
    "2019-11-0": "risk_factors_0",
    "2019-11-1": "risk_factors_1",
    "2019-11-2": "risk_factors_2",
    "2019-12": "big2",
    "2019-12a": "preterm",
    "2019-12b": "sga",
    "2019-13": "speech_language",
    "2019-14": "overweight_2y",
    "2019-15": "placements_per_1000",
}


def _run(data: Path, out: Path, years: range = range(2016, 2021), *, strict: bool = False) -> None:
    run_monitor(
        RunConfig(
            data=data,
            edition=2021,
            years=years,
            classification_year=2023,
            out=out,
            formats=("parquet", "csv"),
            strict=strict,
            audit_work=2000.0,  # quick; unresolved counts are reported (the demo settles all)
            withhold=False,
        )
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "nl"
    generate(SynthConfig(first_year=2015, last_year=2020, scale=SCALE, seed=3), out)
    return out


@pytest.fixture(scope="module")
def run(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("monitor") / "out"
    _run(data, out)
    return out


def test_national_values_match_the_published_figures(run: Path) -> None:
    results = pq.read_table(run / "results.parquet")
    nl = results.filter(
        pc.and_(pc.equal(results["region_type"], "nl"), pc.equal(results["breakdown"], "total"))
    )
    by_key = {
        (r["indicator_id"], r["period_start"]): r
        for r in nl.to_pylist()
        if r["period_start"] == r["period_end"]
    }
    checked, off = 0, []
    for target in synth_targets.targets():
        ids = [i for i, k in TARGET_KEYS.items() if k == target.key]
        if not ids or (ids[0], target.year) not in by_key:
            continue
        row = by_key[(ids[0], target.year)]
        per = 1000.0 if target.unit == "per 1,000" else 100.0
        p = row["value"] / per
        se = per * (p * (1 - p) / row["denominator"]) ** 0.5
        allowed = max(target.tolerance, 3.5 * se)
        checked += 1
        if abs(row["value"] - target.value) > allowed:
            off.append(f"{ids[0]} {target.year}: {row['value']:.2f} vs {target.value}")
    assert checked >= 25
    assert not off, off


def test_no_published_cell_below_the_threshold(run: Path) -> None:
    results = pq.read_table(run / "results.parquet")
    published = results.filter(pc.invert(results["suppressed"]))
    num = published["numerator"].to_numpy()
    den = published["denominator"].to_numpy()
    assert len(published) > 0
    assert (num >= 10).all() and (den >= 10).all() and (den - num >= 10).all()
    hidden = results.filter(results["suppressed"])
    assert hidden["numerator"].null_count == len(hidden)
    assert "suppression_reason" not in results.column_names
    # The reasons stay inside: the internal directory beside the run, never published.
    inside = pq.read_table(run.parent / f"{run.name}.internal" / "protection.parquet")
    assert inside.num_rows == len(hidden)
    assert inside["reason"].null_count == 0
    # The families' note counts too: the public manifest says what, the internal one how many.
    public = json.loads((run / "manifest.json").read_text())["notes"]
    internal = json.loads(
        (run.parent / f"{run.name}.internal" / "manifest.internal.json").read_text()
    )
    assert set(public) == set(internal["notes"])
    for key, note in public.items():
        assert "per_year" not in note
        assert set(internal["notes"][key]["per_year"].values()) <= set(range(10**6))


def test_manifest_and_byte_identical_rerun(data: Path, run: Path, tmp_path: Path) -> None:
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["definitions"] and manifest["inputs"]["births"]["sha256"]
    assert manifest["parameters"]["classification_year"] == 2023
    again = tmp_path / "again"
    _run(data, again)
    for name in ("results.parquet", "results.csv"):
        a = hashlib.sha256((run / name).read_bytes()).hexdigest()
        b = hashlib.sha256((again / name).read_bytes()).hexdigest()
        assert a == b, name


def test_missing_table_names_the_indicators_that_need_it(data: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(data, partial, ignore=shutil.ignore_patterns("youth_care*"))
    with pytest.raises(MissingTablesError, match=r"youth_care \(needed by 2019-15\)"):
        _run(partial, tmp_path / "o", strict=True)


def test_years_without_data_give_a_clear_error(data: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no units in 2030-2031"):
        _run(data, tmp_path / "o", range(2030, 2032))
    assert not (tmp_path / "o").exists()


def test_audit_command_repeats_the_attack(run: Path) -> None:
    """`kansrijk monitor audit` reads the public table and the internal true counts, writes
    every sensitive count's interval inside, and exits 1 unless every count is protected."""
    from typer.testing import CliRunner

    from kansrijk.cli.main import app

    result = CliRunner().invoke(app, ["monitor", "audit", str(run), "--work", "500"])
    inside = run.parent / f"{run.name}.internal"
    summary = json.loads((inside / "attack.json").read_text())
    counts = pq.read_table(inside / "attack.parquet")
    assert counts.num_rows == summary["sensitive_counts"] > 0
    statuses = counts["status"].to_pylist()
    assert statuses.count("protected") == summary["protected"]
    assert summary["exposed"] + summary["unresolved"] + summary["protected"] == counts.num_rows
    failures = summary["exposed"] + summary["unresolved"]
    assert result.exit_code == (1 if failures else 0), result.output
    # Nothing of it is beside the public files.
    assert not (run / "attack.parquet").exists()
