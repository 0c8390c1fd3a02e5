"""A tiny published run: two indicators, three municipalities in two provinces, NL.

Counts are drawn per municipality, year and income group and summed upwards, as the engine
does; `protect` then hides small cells and `publish` writes the run, which `Publication.open`
reads back. Only three municipalities of two provinces are counted, so the regions do not add
up as the declared hierarchy says: the structure declares the measures only (related=False).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kansrijk import geo
from kansrijk.engine.structure import results_structure
from kansrijk.publication import (
    RESULTS_SCHEMA,
    DisclosurePolicy,
    Publication,
    protect,
    publish,
)
from kansrijk.stats import interval_for_unit

MUNICIPALITIES = {"GM0363": "PV27", "GM0362": "PV27", "GM0014": "PV20"}
PERIODS = [(2019, 2019), (2020, 2020), (2016, 2020)]
GROUPS = ("<P10", ">=P10")
#: (indicator, unit) -> period -> municipality -> ((num, den) per income group)
COUNTS: dict[tuple[str, str], dict[tuple[int, int], dict[str, tuple[tuple[int, int], ...]]]] = {
    ("2019-07", "%"): {
        (2019, 2019): {
            "GM0363": ((20, 150), (100, 850)),
            "GM0362": ((5, 30), (20, 170)),
            "GM0014": ((8, 50), (40, 350)),
        },
        (2020, 2020): {
            "GM0363": ((18, 140), (90, 860)),
            "GM0362": ((1, 10), (3, 40)),
            "GM0014": ((6, 45), (44, 360)),
        },
        (2016, 2020): {
            "GM0363": ((90, 700), (480, 4300)),
            "GM0362": ((20, 150), (80, 800)),
            "GM0014": ((30, 250), (200, 1800)),
        },
    },
    ("2019-15", "per 1,000"): {
        (2019, 2019): {
            "GM0363": ((13, 150), (19, 850)),
            "GM0362": ((0, 30), (1, 170)),
            "GM0014": ((1, 50), (2, 350)),
        },
        (2020, 2020): {
            "GM0363": ((14, 140), (20, 860)),
            "GM0362": ((0, 10), (2, 40)),
            "GM0014": ((2, 45), (3, 360)),
        },
        (2016, 2020): {
            "GM0363": ((60, 700), (90, 4300)),
            "GM0362": ((4, 150), (8, 800)),
            "GM0014": ((9, 250), (14, 1800)),
        },
    },
}
MANIFEST: dict[str, object] = {
    "run_id": "tinyrun",
    "parameters": {
        "classification_year": 2023,
        "threshold": 10,
        "editions": [2021],
        "years": [2019, 2020],
    },
    "software": {"kansrijk": "0.1.0", "python": "3.11"},
    "inputs": {"births": {"files": ["births/part-0.parquet"], "sha256": "ab" * 32}},
    "started": "2024-01-01T00:00:00+00:00",
    "finished": "2024-01-01T00:01:00+00:00",
}


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(
        ind: str,
        unit: str,
        period: tuple[int, int],
        kind: str,
        code: str,
        breakdown: str,
        value: str,
        num: int,
        den: int,
    ) -> None:
        rows.append(
            {
                "indicator_id": ind,
                "unit": unit,
                "period_start": period[0],
                "period_end": period[1],
                "region_type": kind,
                "region_code": code,
                "breakdown": breakdown,
                "breakdown_value": value,
                "numerator": num,
                "denominator": den,
            }
        )

    for (ind, unit), periods in COUNTS.items():
        for period, by_mun in periods.items():
            sums: dict[tuple[str, str], list[int]] = {}
            for mun, groups in by_mun.items():
                total = [sum(g[0] for g in groups), sum(g[1] for g in groups)]
                add(ind, unit, period, "gemeente", mun, "total", "total", *total)
                for kind, code in (("province", MUNICIPALITIES[mun]), ("nl", geo.NL_CODE)):
                    for value, (num, den) in (("total", total), *zip(GROUPS, groups, strict=True)):
                        acc = sums.setdefault((f"{kind}/{code}", value), [0, 0])
                        acc[0] += num
                        acc[1] += den
            for (region, value), (num, den) in sums.items():
                kind, code = region.split("/")
                breakdown = "total" if value == "total" else "income_p10"
                add(ind, unit, period, kind, code, breakdown, value, num, den)
    return rows


def tiny_cells() -> pa.Table:
    """The unpublished table (true counts of every cell)."""
    rows = _rows()
    num = np.array([r["numerator"] for r in rows], dtype=np.int64)
    den = np.array([r["denominator"] for r in rows], dtype=np.int64)
    units = [str(r["unit"]) for r in rows]
    scale = np.array([1000.0 if u == "per 1,000" else 100.0 for u in units])
    low = np.empty(len(rows))
    high = np.empty(len(rows))
    for unit in set(units):
        mask = np.array([u == unit for u in units])
        lo, hi = interval_for_unit(unit, num[mask], den[mask])
        low[mask], high[mask] = lo, hi
    n = len(rows)
    columns: dict[str, object] = {
        "indicator_id": [r["indicator_id"] for r in rows],
        "edition": [2021] * n,
        "period_start": [r["period_start"] for r in rows],
        "period_end": [r["period_end"] for r in rows],
        "region_type": [r["region_type"] for r in rows],
        "region_code": [r["region_code"] for r in rows],
        "classification_year": [2023] * n,
        "breakdown": [r["breakdown"] for r in rows],
        "breakdown_value": [r["breakdown_value"] for r in rows],
        "numerator": num,
        "denominator": den,
        "value": scale * num / den,
        "unit": units,
        "ci_low": low,
        "ci_high": high,
        "suppressed": [False] * n,
        "definition_hash": [f"hash-{r['indicator_id']}" for r in rows],
        "data_hash": ["data"] * n,
        "run_id": ["tinyrun"] * n,
    }
    return pa.table(columns, schema=RESULTS_SCHEMA)


@pytest.fixture(scope="session")
def tiny_unpublished() -> pa.Table:
    return tiny_cells()


@pytest.fixture(scope="session")
def tiny(tiny_unpublished: pa.Table, tmp_path_factory: pytest.TempPathFactory) -> Publication:
    structure = results_structure(tiny_unpublished, classification_year=2023, related=False)
    protected = protect(tiny_unpublished, structure, DisclosurePolicy(threshold=10))
    out = tmp_path_factory.mktemp("tiny") / "monitor"
    publish(protected, out, manifest=MANIFEST)
    return Publication.open(out)
