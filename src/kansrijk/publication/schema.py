"""The monitor's results table: the schema of the cells the engine counts and of the public
table the gate publishes (the same columns; a hidden cell has no numbers)."""

from __future__ import annotations

from typing import Final

import pyarrow as pa

RESULTS_SCHEMA: Final = pa.schema(
    [
        ("indicator_id", pa.string()),
        ("edition", pa.int32()),
        ("period_start", pa.int32()),
        ("period_end", pa.int32()),
        ("region_type", pa.string()),
        ("region_code", pa.string()),
        ("classification_year", pa.int32()),
        ("breakdown", pa.string()),
        ("breakdown_value", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("ci_low", pa.float64()),
        ("ci_high", pa.float64()),
        ("suppressed", pa.bool_()),
        ("definition_hash", pa.string()),
        ("data_hash", pa.string()),
        ("run_id", pa.string()),
    ]
)
#: The columns that identify one cell (unique in a results table).
CELL_KEYS: Final = (
    "indicator_id",
    "edition",
    "period_start",
    "period_end",
    "region_type",
    "region_code",
    "classification_year",
    "breakdown",
    "breakdown_value",
)
#: The columns that carry numbers derived from the counts: null in a hidden cell.
NUMBER_COLUMNS: Final = ("numerator", "denominator", "value", "ci_low", "ci_high")
TOTAL: Final = "total"
