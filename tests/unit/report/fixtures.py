"""A tiny published run built by hand: counts in, `protect` and `publish`, `Publication` out."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from kansrijk.engine.structure import results_structure
from kansrijk.publication import (
    RESULTS_SCHEMA,
    DisclosurePolicy,
    Publication,
    protect,
    publish,
)
from kansrijk.stats import interval_for_unit

#: (indicator, start, end, region_type, region, breakdown, breakdown value, numerator, denominator)
Row = tuple[str, int, int, str, str, str, str, int, int]

MANIFEST: dict[str, object] = {
    "run_id": "test-run",
    "parameters": {"classification_year": 2023, "threshold": 10, "editions": [2021]},
}


def results_table(rows: Iterable[Row]) -> pa.Table:
    """Unpublished results (true counts) in the results schema."""
    rows = list(rows)
    n = len(rows)
    num = np.array([r[7] for r in rows], dtype=np.int64)
    den = np.array([r[8] for r in rows], dtype=np.int64)
    units = ["per 1,000" if r[0] == "2019-15" else "%" for r in rows]
    scale = np.array([1000.0 if u == "per 1,000" else 100.0 for u in units])
    low = np.empty(n)
    high = np.empty(n)
    for unit in set(units):
        mask = np.array([u == unit for u in units])
        lo, hi = interval_for_unit(unit, num[mask], den[mask])
        low[mask], high[mask] = lo, hi
    columns = {
        "indicator_id": [r[0] for r in rows],
        "edition": [2021] * n,
        "period_start": [r[1] for r in rows],
        "period_end": [r[2] for r in rows],
        "region_type": [r[3] for r in rows],
        "region_code": [r[4] for r in rows],
        "classification_year": [2023] * n,
        "breakdown": [r[5] for r in rows],
        "breakdown_value": [r[6] for r in rows],
        "numerator": num,
        "denominator": den,
        "value": scale * num / den,
        "unit": units,
        "ci_low": low,
        "ci_high": high,
        "suppressed": [False] * n,
        "definition_hash": ["h"] * n,
        "data_hash": ["d"] * n,
        "run_id": ["test-run"] * n,
    }
    return pa.table(columns, schema=RESULTS_SCHEMA)


def kraamzorg_rows() -> list[Row]:
    """Indicator 2019-10 over 2016-2020: NL and Noord-Holland with breakdowns, Amsterdam large,
    Amstelveen and Aalsmeer small (hidden in single years), 5-year pooled municipal figures."""
    rows: list[Row] = []
    for i, year in enumerate(range(2016, 2021)):
        nl_num = 10_000 + 500 * i  # rising: 6.25% ... 7.5% of 160,000
        rows.append(("2019-10", year, year, "nl", "NL01", "total", "total", nl_num, 160_000))
        rows.append(("2019-10", year, year, "province", "PV27", "total", "total", 2_000, 30_000))
        for value, share in (("yes", 3_000), ("no", nl_num - 3_000)):
            den = 20_000 if value == "yes" else 140_000
            rows.append(("2019-10", year, year, "nl", "NL01", "single_parent", value, share, den))
        rows.append(("2019-10", year, year, "gemeente", "GM0363", "total", "total", 600, 9_000))
        rows.append(("2019-10", year, year, "gemeente", "GM0362", "total", "total", 4, 300))
        rows.append(("2019-10", year, year, "gemeente", "GM0358", "total", "total", 3, 150))
    rows.append(("2019-10", 2016, 2020, "nl", "NL01", "total", "total", 62_500, 800_000))
    rows.append(("2019-10", 2016, 2020, "province", "PV27", "total", "total", 10_000, 150_000))
    rows.append(("2019-10", 2016, 2020, "gemeente", "GM0363", "total", "total", 3_000, 45_000))
    rows.append(("2019-10", 2016, 2020, "gemeente", "GM0362", "total", "total", 20, 1_500))
    rows.append(("2019-10", 2016, 2020, "gemeente", "GM0358", "total", "total", 15, 750))
    return rows


def published(rows: Iterable[Row] | None = None) -> Publication:
    """The rows (default: `kraamzorg_rows`) protected, published and opened again."""
    if rows is None:
        return _kraamzorg()
    return _published(tuple(rows))


@cache
def _kraamzorg() -> Publication:
    return _published(tuple(kraamzorg_rows()))


def _published(rows: tuple[Row, ...]) -> Publication:
    cells = results_table(rows)
    # Hand-made counts: the regions, breakdowns and years need not add up (related=False).
    structure = results_structure(cells, classification_year=2023, related=False)
    protected = protect(cells, structure, DisclosurePolicy(threshold=10))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "monitor"
        publish(protected, out, manifest=MANIFEST, formats=("parquet",))
        return Publication.open(out)
