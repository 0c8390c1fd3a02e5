"""publish, Publication.open and check_public: one writer, one reader, nothing that leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from kansrijk.publication import (
    DisclosureError,
    DisclosurePolicy,
    check_public,
    internal_dir,
    protect,
    publish,
)

from .tables import Layout, linked_table

LAYOUT = Layout(provinces=(("GM1", "GM2"), ("GM3", "GM4")), years=(2016, 2017))


@pytest.fixture(scope="module")
def protected():  # type: ignore[no-untyped-def]
    return protect(linked_table(LAYOUT, 5, scale=120), LAYOUT.structure(), DisclosurePolicy())


def test_publish_writes_every_file_with_its_hash(protected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    paths = publish(protected, out, manifest={"run_id": "x"}, formats=("parquet", "csv"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["outputs"]) == {"results.parquet", "results.csv"}
    assert set(paths) == {"results.parquet", "results.csv", "manifest.json"}
    assert manifest["disclosure"]["exposed"] == 0
    # Not even counts per reason: with one hidden cell they would be its reason.
    text = (out / "manifest.json").read_text()
    assert not any(w in text for w in ("reason", "primary", "secondary", "complement"))
    hidden = sum(protected.audit["hidden_by_reason"].values())
    assert hidden > 0 and manifest["disclosure"]["hidden_cells"] == hidden
    internal_audit = json.loads((internal_dir(out) / "audit.json").read_text())
    assert internal_audit["audit"]["hidden_by_reason"] == protected.audit["hidden_by_reason"]
    # The reasons and true counts are inside, never beside the public files.
    inside = internal_dir(out)
    assert (inside / "protection.parquet").is_file()
    csv = (out / "results.csv").read_text()
    assert not any(word in csv for word in ("reason", "primary", "secondary", "complement"))
    public = pq.read_table(out / "results.parquet")
    assert "suppression_reason" not in public.column_names
    assert public["suppressed"].to_pylist() == protected.public["suppressed"].to_pylist()


def test_publish_takes_only_a_protected(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        publish(linked_table(LAYOUT, 1), tmp_path, manifest={})  # type: ignore[arg-type]


def test_check_public_refuses_what_would_leak(protected) -> None:  # type: ignore[no-untyped-def]
    public = protected.public
    check_public(public, DisclosurePolicy())
    with_reason = public.append_column("suppression_reason", pa.nulls(len(public), pa.string()))
    with pytest.raises(DisclosureError, match="must not carry"):
        check_public(with_reason, DisclosurePolicy())
    hidden = pc.index(public["suppressed"], True).as_py()
    num = public["numerator"].to_pylist()
    num[hidden] = 3
    leaked = public.set_column(
        public.schema.get_field_index("numerator"), "numerator", pa.array(num, pa.int64())
    )
    with pytest.raises(DisclosureError, match="still carry numerator"):
        check_public(leaked, DisclosurePolicy())
    shown = pc.index(public["suppressed"], False).as_py()
    den = public["denominator"].to_pylist()
    den[shown] = 4
    small = public.set_column(
        public.schema.get_field_index("denominator"), "denominator", pa.array(den, pa.int64())
    )
    with pytest.raises(DisclosureError, match="below 10"):
        check_public(small, DisclosurePolicy())
