"""A tiny synthetic dataset (one birth year, ~200 births) generates: the tables of events that
need older cohorts (JGZ contacts at age two) are then empty, not an error."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from kansrijk.synth import SynthConfig, generate


def test_one_year_at_a_tiny_scale_writes_empty_jgz_contacts(tmp_path: Path) -> None:
    out = tmp_path / "tiny"
    generate(SynthConfig(first_year=2020, last_year=2020, scale=0.0012, seed=20190101), out)
    assert 100 < pq.read_metadata(out / "births.parquet").num_rows < 400
    contacts = pq.read_table(out / "jgz_contacts.parquet")
    assert contacts.num_rows == 0
    assert str(contacts.schema.field("organisation_code").type) == "string"
