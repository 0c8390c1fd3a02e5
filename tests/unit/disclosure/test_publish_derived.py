from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from kansrijk.disclosure import DisclosureError, publish_derived

KEYS = {
    "indicator_id": ["x", "x"],
    "edition": [2021, 2021],
    "period_start": [2020, 2020],
    "period_end": [2020, 2020],
    "classification_year": [2023, 2023],
    "breakdown": ["total", "total"],
    "breakdown_value": ["total", "total"],
    "region_code": ["GM0001", "GM0002"],
}


def _published() -> pa.Table:
    return pa.table(
        {**KEYS, "numerator": [20, None], "denominator": [100, None], "suppressed": [False, True]}
    )


def test_derived_rows_of_published_cells_are_written(tmp_path: Path) -> None:
    derived = pa.table(
        {k: v[:1] for k, v in KEYS.items()} | {"numerator": [20], "denominator": [100]}
    )
    paths = publish_derived(derived, _published(), tmp_path, basename="funnel")
    assert sorted(p.name for p in paths) == ["funnel.csv", "funnel.parquet"]


@pytest.mark.parametrize("row,num,den", [(1, 5, 50), (0, 21, 100)])
def test_rows_of_hidden_cells_or_other_numbers_are_refused(
    tmp_path: Path, row: int, num: int, den: int
) -> None:
    derived = pa.table(
        {k: v[row : row + 1] for k, v in KEYS.items()} | {"numerator": [num], "denominator": [den]}
    )
    with pytest.raises(DisclosureError):
        publish_derived(derived, _published(), tmp_path, basename="funnel")
    assert list(tmp_path.iterdir()) == []
    assert pc.sum(_published()["suppressed"]).as_py() == 1
