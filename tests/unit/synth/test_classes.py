"""The synthetic `municipality_classes` table: deterministic, contract-shaped, size-correlated."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kansrijk import geo
from kansrijk.geo.classes import classify
from kansrijk.synth.classes import INHABITANTS, municipality_classes
from kansrijk.synth.geography import atom_frame
from kansrijk.synth.writer import contract_schema


def _table() -> pa.Table:
    return municipality_classes(atom_frame(2013, 2020))


def test_every_municipality_of_every_year_has_one_row() -> None:
    t = _table()
    codes = t["statcode"].to_pylist()
    assert len(codes) == len(set(codes))
    for year in (2016, 2023, 2025):
        assert {m.code for m in geo.municipalities(year)} <= set(codes)
    assert t.cast(contract_schema("municipality_classes")).num_rows == t.num_rows


def test_the_reference_year_adds_up_to_the_country() -> None:
    t = _table().to_pylist()
    current = {m.code for m in geo.municipalities(2025)}
    total = sum(r["inhabitants"] for r in t if r["statcode"] in current)
    assert abs(total - INHABITANTS) <= len(current)  # rounding per municipality


def test_it_does_not_change_between_calls_or_with_the_years() -> None:
    first = _table()
    assert first.equals(_table())
    # the atoms' weights do not depend on the years simulated
    assert first.equals(municipality_classes(atom_frame(2016, 2024)))


def test_large_municipalities_are_denser_and_all_classes_occur() -> None:
    rows = _table().to_pylist()
    size = np.log10([r["inhabitants"] for r in rows])
    density = np.log10([r["address_density"] for r in rows])
    assert np.corrcoef(size, density)[0, 1] > 0.6
    assert min(r["address_density"] for r in rows) >= 0
    by_code = {r["statcode"]: r for r in rows}
    amsterdam = by_code["GM0363"]
    assert classify("GM0363", amsterdam["inhabitants"], amsterdam["address_density"]).size == 5
    classes = {classify(r["statcode"], r["inhabitants"], r["address_density"]) for r in rows}
    assert {c.urbanisation for c in classes} == {1, 2, 3, 4, 5}
    assert {c.size for c in classes} == {1, 2, 3, 4, 5}
