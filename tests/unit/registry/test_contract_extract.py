"""What the contract tells an extract builder: divorces in either partner field, Vektis rows
without a linked mother dropped and counted, and the versions with their migration notes."""

from __future__ import annotations

from pathlib import Path

from kansrijk.registry.contract import CONTRACT_VERSION, EXTRACT_MANIFEST, VERSIONS, table
from kansrijk.registry.contract_doc import render_contract_markdown
from kansrijk.registry.io import unknown_entries
from kansrijk.registry.validate import validate
from tests.unit.registry.patching import apply_patch


def test_a_divorce_with_oneself_names_file_row_and_columns(minimal_copy: Path) -> None:
    apply_patch(
        minimal_copy,
        {"op": "set", "file": "divorces.csv", "row": 1, "column": "partner_id", "value": "mum002"},
    )
    errors = [i for i in validate(minimal_copy).errors if i.table == "divorces"]
    assert [(i.file, i.row, i.check, i.column) for i in errors] == [
        ("divorces.csv", 1, "rule:partner_is_not_self", "person_id, partner_id")
    ]
    assert "own former partner" in errors[0].message


def test_vektis_rows_without_a_mother_are_refused_and_counted(minimal_copy: Path) -> None:
    """The contract says: drop them, and report how many. Left in, validation names every
    such row and gives their number."""
    for row in (1, 3):
        apply_patch(
            minimal_copy,
            {
                "op": "set",
                "file": "maternity_trajectories.csv",
                "row": row,
                "column": "mother_id",
                "value": "",
            },
        )
    report = validate(minimal_copy)
    missing = [
        i for i in report.errors if i.table == "maternity_trajectories" and i.column == "mother_id"
    ]
    assert [i.row for i in missing] == [1, 3]
    assert all(i.file == "maternity_trajectories.csv" for i in missing)
    assert all("missing value" in i.message for i in missing)
    assert {i.total for i in missing} == {2}
    assert not report.ok


def test_the_extract_manifest_is_an_accepted_sidecar(minimal_copy: Path) -> None:
    (minimal_copy / EXTRACT_MANIFEST).write_text(
        '{"dropped_rows": {"maternity_trajectories": {"no_mother_id": {"2020": 2}}}}'
    )
    assert unknown_entries(minimal_copy) == []
    assert validate(minimal_copy).ok


def test_the_contract_tells_the_extract_builder() -> None:
    divorces = " ".join(table("divorces").notes)
    assert "either column" in divorces and "one row per partner" in divorces
    assert table("divorces").column("partner_id").nullable
    for name in ("maternity_trajectories", "maternity_claims"):
        t = table(name)
        assert not t.column("mother_id").nullable
        notes = " ".join(t.notes)
        assert "dropped" in notes and EXTRACT_MANIFEST in notes and "no_mother_id" in notes


def test_every_version_has_a_note_and_the_page_lists_them() -> None:
    versions = [v for v, _ in VERSIONS]
    assert versions[-1] == CONTRACT_VERSION
    assert versions == sorted(versions, key=lambda v: tuple(int(x) for x in v.split(".")))
    assert len(set(versions)) == len(versions)
    page = render_contract_markdown()
    assert f"# Registry data contract (version {CONTRACT_VERSION})" in page
    assert "## Versions" in page
    for version, note in VERSIONS:
        assert note.strip() and f"* **{version}**: {note}" in page
