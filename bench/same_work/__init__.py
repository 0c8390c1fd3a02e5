"""The same work three ways (issue 18): six indicators of edition 2021 by hand.

The monitor engine (Ibis over DuckDB) computes indicators 7, 8 (with 8a and 8b), 10, 11 (3+
risk factors, with the distribution 0, 1 and 2), 12 (with 12a preterm and 12b SGA) and 15 of
edition 2021. Here the same figures are computed twice more, without the engine:

* `sql`: hand-written DuckDB SQL over the dataset's Parquet files;
* `pandas_impl`: a straightforward pandas implementation (read, merge, group by).

Both return one table with columns indicator_id, region_code, year, numerator and
denominator: the yearly totals (no breakdowns, no pooled periods, no provinces, no disclosure
control) of every municipality of the classification year, the unknown remainder NL00 and
the Netherlands NL01. `compare` lines such a table up with the engine's true (unpublished)
counts cell by cell. bench/test_bench_same_work.py times all three at scale 1.0;
tests/integration/test_same_work.py keeps the two implementations equal to the engine.

Reference data that is not part of a dataset comes from the package's reference tables, as
the engine's does (they are data, not engine code): the classification of municipality codes
to the classification year (mergers and postcode splits), the municipalities of that year and
Hoftiezer's P10 birth weights.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kansrijk import geo
from kansrijk.reference import p10_table

#: The indicators of edition 2021 computed here (ids as in kansrijk.indicators.catalogue).
INDICATORS = (
    "2019-07",
    "2019-08",
    "2019-08a",
    "2019-08b",
    "2019-10",
    "2019-11",
    "2019-11-0",
    "2019-11-1",
    "2019-11-2",
    "2019-12",
    "2019-12a",
    "2019-12b",
    "2019-15",
)
NL_CODE = "NL01"
UNKNOWN_REGION = "NL00"
KEYS = ("indicator_id", "region_code", "year")
SCHEMA = pa.schema(
    [
        ("indicator_id", pa.string()),
        ("region_code", pa.string()),
        ("year", pa.int32()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
    ]
)

#: Rules of the definitions (catalogue 2021), shared by both implementations.
MIN_GESTATIONAL_DAYS = 168  # 24+0 weeks
TERM_DAY = 259  # preterm: before 37+0 weeks
CHART_FIRST, CHART_LAST = 161, 294  # Hoftiezer chart days (SGA not assessable before 161)
LATE_VISIT_DAY = 70  # first antenatal visit after week 10
PSYCH_ATC4 = ("N05A", "N05B", "N05C", "N06A", "N06B", "N06C")
PROTECTION_CODES = (11, 12, 21, 22, 23)
RESIDENTIAL_CARE_CODES = (11, 12, 13, 14)
HIGH_COST_RANK = 0.9
ASSUMED_GESTATIONAL_DAYS = 280
DIVORCE_YEARS_BEFORE = 4
PARTNER_DEATH_YEARS_BEFORE = 4

Compute = Callable[[Path, range, int], pa.Table]


def parquet_files(data_dir: Path, table: str) -> list[Path]:
    """The Parquet file(s) of a contract table: ``<table>.parquet`` or a folder of parts."""
    single = data_dir / f"{table}.parquet"
    if single.is_file():
        return [single]
    files = sorted(p for p in (data_dir / table).rglob("*.parquet") if p.is_file())
    if not files:
        raise FileNotFoundError(f"table {table} not found in {data_dir}")
    return files


@dataclass(frozen=True)
class Reference:
    """The reference tables both implementations read (Arrow)."""

    #: municipality_code, valid_from, valid_to, postcode4, class_code: a residence (code,
    #: date, postcode) maps to class_code when the code matches, valid_from <= date <
    #: valid_to (open end: NULL) and postcode4 is NULL or equal; a row with a postcode wins.
    classification: pa.Table
    #: municipality_code: the municipalities of the classification year.
    municipalities: pa.Table
    #: sex, ga_days, p10_g: Hoftiezer 2019 P10 birth weight.
    p10: pa.Table


def reference(classification_year: int) -> Reference:
    regions = geo.regions(classification_year)
    municipalities = pc.unique(
        regions.filter(pc.equal(regions["region_type"], "gemeente"))["region_code"]
    )
    return Reference(
        classification=geo.classification_map(classification_year),
        municipalities=pa.table({"municipality_code": municipalities}),
        p10=p10_table(),
    )


def normalise(table: pa.Table) -> pa.Table:
    """``table`` cast to `SCHEMA` and sorted by `KEYS`."""
    return table.select(SCHEMA.names).cast(SCHEMA).sort_by([(k, "ascending") for k in KEYS])


def main(compute: Compute, description: str) -> None:
    """Command line of an implementation: compute and write the cells to a Parquet file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--years", default="2017-2022", help="first-last, e.g. 2017-2022")
    parser.add_argument("--classification", type=int, default=2023)
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    pq.write_table(compute(args.data, range(first, last + 1), args.classification), args.out)
