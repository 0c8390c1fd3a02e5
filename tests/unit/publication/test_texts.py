"""The gate's writer and reader of a table of texts (the experiences study's quotes)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from kansrijk.publication import (
    MANIFEST,
    DisclosureError,
    Texts,
    TextsError,
    internal_dir,
    publish_texts,
)
from kansrijk.publication.internal import mark_internal


def _table() -> pa.Table:
    return pa.table({"theme": ["Samenwerking", "Leren van elkaar"], "text": ["Eén.", "Twee."]})


def test_written_and_read_back_with_hashes(tmp_path: Path) -> None:
    out = tmp_path / "experiences"
    paths = publish_texts(_table(), out, manifest={"rounds": ["Monitor 2021"]}, basename="quotes")
    assert sorted(paths) == ["manifest.json", "quotes.csv", "quotes.parquet"]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["kind"] == "texts"
    assert manifest["rounds"] == ["Monitor 2021"]
    assert set(manifest["outputs"]) == {"quotes.csv", "quotes.parquet"}
    texts = Texts.open(out, "quotes")
    assert texts.table.equals(_table())
    assert texts.rows[0] == {"theme": "Samenwerking", "text": "Eén."}
    assert (out / "quotes.csv").read_text(encoding="utf-8").splitlines()[0] == "theme,text"
    assert not list(out.glob(".*"))  # no temporary files left


@pytest.mark.parametrize(
    "table",
    [
        pa.table({"text": ["a"], "numerator": ["3"]}),
        pa.table({"text": ["a"], "n": [3]}),
        pa.table({"text": ["a"], "share": [0.5]}),
        mark_internal(pa.table({"text": ["a"]})),
    ],
)
def test_only_text_is_published(tmp_path: Path, table: pa.Table) -> None:
    with pytest.raises(DisclosureError):
        publish_texts(table, tmp_path / "out", manifest={}, basename="quotes")
    assert not (tmp_path / "out" / "quotes.parquet").exists()


def test_refuses_an_internal_directory(tmp_path: Path) -> None:
    with pytest.raises(DisclosureError):
        publish_texts(_table(), internal_dir(tmp_path / "out"), manifest={}, basename="quotes")


def test_reader_refuses_a_changed_file(tmp_path: Path) -> None:
    publish_texts(_table(), tmp_path, manifest={}, basename="quotes")
    other = tmp_path / "other"
    publish_texts(pa.table({"theme": ["x"], "text": ["y"]}), other, manifest={}, basename="quotes")
    (tmp_path / "quotes.parquet").write_bytes((other / "quotes.parquet").read_bytes())
    with pytest.raises(DisclosureError, match="changed since"):
        Texts.open(tmp_path, "quotes")


def test_reader_refuses_what_the_gate_did_not_write(tmp_path: Path) -> None:
    with pytest.raises(TextsError):
        Texts.open(tmp_path, "quotes")
    (tmp_path / MANIFEST).write_text(json.dumps({"outputs": {}}))
    with pytest.raises(TextsError, match="not a publication of texts"):
        Texts.open(tmp_path, "quotes")
    publish_texts(_table(), tmp_path, manifest={}, basename="quotes")
    with pytest.raises(TextsError, match="not among the outputs"):
        Texts.open(tmp_path, "other")
