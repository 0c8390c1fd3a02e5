from pathlib import Path

import pyarrow as pa
import pytest

from kansrijk.synth.writer import DatasetWriter, contract_schema


def _persons() -> pa.Table:
    import datetime as dt

    return pa.table(
        {
            "person_id": ["P000001"],
            "sex": ["F"],
            "birth_date": [dt.date(1990, 1, 1)],
            "death_date": [None],
            "migration_background": ["dutch"],
        }
    )


def test_writes_appear_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "d"
    with pytest.raises(RuntimeError), DatasetWriter(out) as w:
        w.write("persons", _persons())
        raise RuntimeError("boom")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary directory left behind


def test_commit_and_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "d"
    with DatasetWriter(out) as w:
        w.write("persons", _persons())
    assert (out / "persons.parquet").exists()
    with pytest.raises(FileExistsError):
        DatasetWriter(out)
    with DatasetWriter(out, overwrite=True) as w:
        w.write("persons", _persons(), part="a")
        w.write("persons", _persons(), part="b")
    assert sorted(p.name for p in (out / "persons").iterdir()) == [
        "part-a.parquet",
        "part-b.parquet",
    ]


def test_schema_follows_the_contract() -> None:
    schema = contract_schema("births")
    assert schema.field("gestational_age_days").type == pa.int32()
    assert not schema.field("birth_id").nullable
    assert schema.field("mother_id").nullable
