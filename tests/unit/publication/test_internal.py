"""The unsuppressed table for the secure environment, and the publication path refusing it.

``publish(..., internal_cells=True)`` (``kansrijk monitor run --internal``) writes every cell
with its true counts and why it is hidden to ``OUT.internal/cells.internal.parquet``, marked
internal in its name, in ``manifest.internal.json`` and in its Parquet metadata; no public
file lists or carries it, and every way into the publication path (publish, open, write,
report and export readers) refuses it.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kansrijk.publication import (
    CELLS,
    INTERNAL_MANIFEST,
    DisclosureError,
    DisclosurePolicy,
    Publication,
    check_public,
    internal_dir,
    protect,
    publish,
)
from kansrijk.publication.internal import INTERNAL_KEY, is_internal_file
from kansrijk.publication.publish import sha256_file

from .tables import Layout, linked_table

LAYOUT = Layout(provinces=(("GM1", "GM2"), ("GM3", "GM4")), years=(2016, 2017))
KEYS = ["indicator", "period_start", "period_end", "region", "breakdown", "category"]


@pytest.fixture(scope="module")
def cells() -> pa.Table:
    return linked_table(LAYOUT, 5, scale=120)


@pytest.fixture(scope="module")
def published(cells: pa.Table, tmp_path_factory: pytest.TempPathFactory) -> Path:
    protected = protect(cells, LAYOUT.structure(), DisclosurePolicy())
    out = tmp_path_factory.mktemp("run") / "out"
    manifest = {"run_id": "r1", "parameters": {"threshold": 10}}
    publish(protected, out, manifest=manifest, formats=("parquet", "csv"), internal_cells=True)
    return out


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in KEYS])


def test_internal_cells_hold_every_true_count_and_why_it_is_hidden(
    cells: pa.Table, published: Path
) -> None:
    path = internal_dir(published) / CELLS
    inside = _sorted(pq.read_table(path))
    truth = _sorted(cells)
    public = _sorted(pq.read_table(published / "results.parquet"))
    assert inside.num_rows == truth.num_rows == public.num_rows
    for name in ("numerator", "denominator"):
        assert inside[name].to_pylist() == truth[name].to_pylist()
    num = np.asarray(truth["numerator"].to_numpy(zero_copy_only=False), dtype=float)
    den = np.asarray(truth["denominator"].to_numpy(zero_copy_only=False), dtype=float)
    assert np.allclose(
        np.asarray(inside["complement"].to_numpy(zero_copy_only=False), dtype=float),
        den - num,
        equal_nan=True,
    )
    hidden = public["suppressed"].to_pylist()
    assert inside["suppressed"].to_pylist() == hidden
    assert any(hidden) and not all(hidden)
    reasons = inside["suppression_reason"].to_pylist()
    assert [r is not None for r in reasons] == hidden
    small = (num < 10) | (den < 10) | (den - num < 10)
    primary = np.array([r is not None and r.startswith("primary") for r in reasons])
    # Every cell with a small count is hidden for a primary reason, and only those.
    assert (primary == small).all()


def test_internal_file_is_marked_in_name_manifest_and_metadata(published: Path) -> None:
    inside = internal_dir(published)
    path = inside / CELLS
    assert ".internal" in path.name and inside.name.endswith(".internal")
    mark = json.loads(pq.read_metadata(path).metadata[INTERNAL_KEY])
    assert mark["internal"] is True and mark["run_id"] == "r1" and "never publish" in mark["notice"]
    manifest = json.loads((inside / INTERNAL_MANIFEST).read_text())
    assert manifest["internal"] is True and manifest["run_id"] == "r1"
    assert manifest["outputs"][CELLS] == sha256_file(path)
    assert manifest["cells"]["rows"] == pq.read_metadata(path).num_rows
    assert set(manifest["cells"]["meaning"]) <= set(manifest["cells"]["columns"])
    # The audit trail is marked too.
    assert INTERNAL_KEY in pq.read_metadata(inside / "protection.parquet").metadata


def test_no_public_file_lists_or_carries_the_internal_table(published: Path) -> None:
    public = json.loads((published / "manifest.json").read_text())
    digest = sha256_file(internal_dir(published) / CELLS)
    assert set(public["outputs"]) == {"results.parquet", "results.csv"}
    assert digest not in json.dumps(public)
    assert sorted(p.name for p in published.iterdir()) == [
        "manifest.json",
        "results.csv",
        "results.parquet",
    ]
    for name in ("results.parquet",):
        assert INTERNAL_KEY not in (pq.read_metadata(published / name).metadata or {})
    assert not is_internal_file(published / "results.parquet")
    # The public directory still opens.
    assert Publication.open(published).results.num_rows > 0


def test_open_refuses_the_internal_directory_and_file(published: Path) -> None:
    inside = internal_dir(published)
    with pytest.raises(DisclosureError, match="internal"):
        Publication.open(inside)
    with pytest.raises(DisclosureError, match="internal"):
        Publication.open(inside, basename="cells.internal")


def test_open_refuses_the_internal_table_copied_as_a_publication(
    published: Path, tmp_path: Path
) -> None:
    """Renamed to results.parquet in a directory of its own, with a forged manifest that
    lists its hash: the metadata mark still gives it away."""
    forged = tmp_path / "forged"
    forged.mkdir()
    shutil.copy(internal_dir(published) / CELLS, forged / "results.parquet")
    manifest = json.loads((published / "manifest.json").read_text())
    manifest["outputs"] = {"results.parquet": sha256_file(forged / "results.parquet")}
    (forged / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DisclosureError, match="internal"):
        Publication.open(forged)
    # Even with the metadata stripped, its columns are refused by the gate's check.
    table = pq.read_table(internal_dir(published) / CELLS).replace_schema_metadata(None)
    with pytest.raises(DisclosureError):
        check_public(table, DisclosurePolicy())


def test_publish_refuses_the_internal_table_and_directory(published: Path, tmp_path: Path) -> None:
    inside = pq.read_table(internal_dir(published) / CELLS)
    # Through the gate again: protect keeps its mark, publish refuses it.
    again = protect(
        inside.drop_columns(["suppressed", "suppression_reason", "complement"]),
        LAYOUT.structure(),
        DisclosurePolicy(),
    )
    with pytest.raises(DisclosureError, match="internal"):
        publish(again, tmp_path / "republished", manifest={"run_id": "r2"})
    assert not (tmp_path / "republished").exists()
    with pytest.raises(DisclosureError, match="internal"):
        check_public(again.public, DisclosurePolicy())
    clean = protect(
        inside.drop_columns(
            ["suppressed", "suppression_reason", "complement"]
        ).replace_schema_metadata(None),
        LAYOUT.structure(),
        DisclosurePolicy(),
    )
    with pytest.raises(DisclosureError, match="internal directory"):
        publish(clean, internal_dir(published), manifest={"run_id": "r2"})
    with pytest.raises(DisclosureError, match="beside"):
        publish(clean, tmp_path / "o", manifest={}, internal=tmp_path / "o" / "internal")
    with pytest.raises(DisclosureError, match="internal"):
        publish(clean, tmp_path / "d", manifest={}, derived={"funnel": inside.select(KEYS)})


def test_write_refuses_the_internal_directory(published: Path) -> None:
    publication = Publication.open(published)
    with pytest.raises(DisclosureError, match="internal"):
        publication.write(internal_dir(published) / "reports", {"a.txt": b"x"})


def test_report_reader_refuses_the_internal_directory(published: Path) -> None:
    from kansrijk.cli.main import app

    result = CliRunner().invoke(
        app, ["report", "national", "--results", str(internal_dir(published))]
    )
    assert result.exit_code == 2
    assert "internal" in result.output


def test_without_internal_cells_no_cells_file_is_written(cells: pa.Table, tmp_path: Path) -> None:
    protected = protect(cells, LAYOUT.structure(), DisclosurePolicy())
    out = tmp_path / "out"
    publish(protected, out, manifest={"run_id": "x"}, formats=("parquet",))
    inside = internal_dir(out)
    assert not (inside / CELLS).exists()
    manifest = json.loads((inside / INTERNAL_MANIFEST).read_text())
    assert manifest["internal"] is True and CELLS not in manifest["outputs"]


def test_monitor_run_internal_writes_the_marked_file(tmp_path: Path) -> None:
    """`kansrijk monitor run --internal` on a tiny dataset: the cells file is beside the run,
    holds the small counts the public table hides, and the run's readers refuse it."""
    from kansrijk.cli.main import app
    from tests.spec.builder import DatasetBuilder

    d = DatasetBuilder()
    for i in range(3):  # three births: every cell has a count below 10
        late = 80 if i == 0 else 60  # one care start after gestational day 70
        d.child(d.mother_in("GM0363"), date(2020, 3, 1 + i), first_visit=late)
    data = d.write(tmp_path / "data")
    out = tmp_path / "run"
    args = ["monitor", "run", "--data", str(data), "--out", str(out), "--years", "2020-2020"]
    args += ["-i", "2019-07", "--formats", "parquet", "--internal"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    path = internal_dir(out) / CELLS
    assert path.is_file() and str(path) in result.output.replace("\n", "")
    inside = pq.read_table(path)
    public = pq.read_table(out / "results.parquet")
    assert inside.num_rows == public.num_rows
    nl = inside.filter(
        pc.and_(pc.equal(inside["region_type"], "nl"), pc.equal(inside["breakdown"], "total"))
    )
    assert nl["denominator"].to_pylist() == [3] and nl["numerator"].to_pylist() == [1]
    assert all(inside["suppressed"].to_pylist())  # nothing of 3 births is published
    assert public["numerator"].null_count == public.num_rows
    assert set(inside["suppression_reason"].to_pylist()) <= {
        "primary: denominator below the threshold",
        "primary: numerator below the threshold",
        "primary: complement below the threshold",
        "secondary: a group sum would give it away",
        "secondary: linear programming narrowed a sensitive count",
        "secondary: sub-table hidden so the audit can settle a count",
        "secondary: municipality withheld in this measure group (mostly hidden)",
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert CELLS not in manifest["outputs"]
    with pytest.raises(DisclosureError, match="internal"):
        Publication.open(internal_dir(out), basename="cells.internal")
