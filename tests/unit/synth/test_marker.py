"""The synthetic marker: `kansrijk synth` writes ``"synthetic": true`` into its manifest, and
`kansrijk.registry.synthetic.is_synthetic` reads it (False for any dataset without it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kansrijk.registry.synthetic import SYNTH_MANIFEST, is_synthetic
from kansrijk.synth import SynthConfig, generate

MINIMAL = Path(__file__).resolve().parents[2] / "data" / "minimal"


def test_generated_dataset_carries_the_marker(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    # three birth years: the JGZ contacts need a complete cohort two years earlier
    generate(SynthConfig(first_year=2018, last_year=2020, scale=0.002, seed=1), out)
    manifest = json.loads((out / SYNTH_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True
    assert manifest["generator"] == "kansrijk.synth"  # the rest is kept
    assert manifest["rows"]["births"] > 0
    assert is_synthetic(out)


def test_a_dataset_without_the_marker_is_not_synthetic(tmp_path: Path) -> None:
    real = tmp_path / "extract"
    shutil.copytree(MINIMAL, real)
    assert not is_synthetic(real)
    assert not is_synthetic(tmp_path / "does-not-exist")


@pytest.mark.parametrize(
    "content",
    [
        '{"generator": "kansrijk.synth"}',  # no flag
        '{"synthetic": false}',
        '{"synthetic": "true"}',  # only the JSON boolean counts
        '["synthetic"]',
        "not json",
        "",
    ],
)
def test_only_an_explicit_true_counts(tmp_path: Path, content: str) -> None:
    (tmp_path / SYNTH_MANIFEST).write_text(content, encoding="utf-8")
    assert not is_synthetic(tmp_path)


def test_explicit_true_counts(tmp_path: Path) -> None:
    (tmp_path / SYNTH_MANIFEST).write_text('{"synthetic": true}', encoding="utf-8")
    assert is_synthetic(tmp_path)
