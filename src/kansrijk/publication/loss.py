"""Information loss: how much of a table disclosure control hides, by level.

Counted on the public table only (which cells are hidden, per region level, period kind,
breakdown and measure), so the summary can be published beside it. How many persons the
hidden cells hold is a sum of hidden counts and so stays in the internal audit file.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from kansrijk.publication.structure import TableStructure


def information_loss(cells: pa.Table, hidden: np.ndarray, structure: TableStructure) -> pa.Table:
    """Per group of rows (the measure keys, and the region type, period kind and breakdown
    where the table has them): cells, hidden cells, hidden share, and the persons (sum of
    denominators) in the hidden cells."""
    groups = list(structure.measure_keys)
    extra = []
    names = cells.column_names
    if "region_type" in names:
        extra.append("region_type")
    if "breakdown" in names:
        extra.append("breakdown")
    table = cells.select([*groups, *extra, "denominator"]).append_column("hidden", pa.array(hidden))
    if "period_start" in names and "period_end" in names:
        pooled = np.asarray(cells["period_end"].to_numpy() > cells["period_start"].to_numpy())
        table = table.append_column("period", pa.array(np.where(pooled, "pooled", "year")))
        extra.append("period")
    keys = ", ".join(f'"{k}"' for k in [*groups, *extra])
    con = duckdb.connect()
    try:
        con.register("t", table)
        return con.sql(f"""
            SELECT {keys}, count(*) AS cells, sum(hidden::INT) AS hidden,
                   round(avg(hidden::INT), 4) AS hidden_share,
                   coalesce(sum(CASE WHEN hidden THEN denominator END), 0) AS persons_hidden
            FROM t GROUP BY ALL ORDER BY ALL
        """).to_arrow_table()
    finally:
        con.close()
