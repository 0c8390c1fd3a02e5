"""Additive groups: a parent cell and the child cells that partition it.

Three kinds, all found from the results table's own keys plus a region hierarchy:

* breakdown: the non-"total" values of one breakdown are the children of the "total" row;
* region: cells of a child region (e.g. gemeente, or province and the "unknown" remainder) are the
  children of their parent region's cell (province, NL), as the hierarchy table says;
* pooled: the k yearly cells of a window are the children of the pooled cell over it, but only
  when all k yearly cells are present.

A group needs its parent cell; a child without one forms no equation. Children missing from the
table (e.g. a municipality without any cells) are simply not members. Only keys are used, so the
same groups can be built from a table in which numbers are already hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.disclosure.schema import CELL_KEYS, HIERARCHY_SCHEMA, TOTAL, schema_problem

IntArray = npt.NDArray[np.int64]


class GroupKind(IntEnum):
    """The kinds of additive group, in the order used when one cell is chosen by several."""

    BREAKDOWN = 0
    REGION = 1
    POOLED = 2


@dataclass(frozen=True)
class AdditiveGroups:
    """Group membership as flat arrays (row numbers refer to the cells table)."""

    parent: IntArray  # per group: the parent's row
    kind: npt.NDArray[np.int8]  # per group: a GroupKind
    child_group: IntArray  # per child membership: its group
    child_row: IntArray  # per child membership: its row

    @property
    def count(self) -> int:
        return len(self.parent)

    def hidden_per_group(self, hidden: npt.NDArray[np.bool_]) -> IntArray:
        """How many cells (parent and children) of each group are hidden."""
        children = np.bincount(
            self.child_group, weights=hidden[self.child_row], minlength=self.count
        )
        return children.astype(np.int64) + hidden[self.parent].astype(np.int64)


def _equal(keys: tuple[str, ...], left: str = "c", right: str = "p") -> str:
    return " AND ".join(f"{left}.{k} = {right}.{k}" for k in keys)


def _without(*drop: str) -> tuple[str, ...]:
    return tuple(k for k in CELL_KEYS if k not in drop)


_EDGES_SQL = f"""
WITH breakdown AS (
    SELECT {int(GroupKind.BREAKDOWN)} AS kind, p.row_id AS parent, c.breakdown AS part,
           c.row_id AS child
    FROM cells c JOIN cells p
      ON {_equal(_without("breakdown", "breakdown_value"))}
     AND p.breakdown = '{TOTAL}' AND c.breakdown <> '{TOTAL}'
), region AS (
    SELECT {int(GroupKind.REGION)} AS kind, p.row_id AS parent, '' AS part, c.row_id AS child
    FROM cells c
    JOIN hierarchy h ON c.region_type = h.child_type AND c.region_code = h.child_code
    JOIN cells p ON p.region_type = h.parent_type AND p.region_code = h.parent_code
     AND {_equal(_without("region_type", "region_code"))}
), pooled_edges AS (
    SELECT p.row_id AS parent, c.row_id AS child,
           p.period_end - p.period_start + 1 AS years
    FROM cells p JOIN cells c
      ON {_equal(_without("period_start", "period_end"))}
     AND p.period_end > p.period_start AND c.period_start = c.period_end
     AND c.period_start BETWEEN p.period_start AND p.period_end
), pooled AS (
    SELECT {int(GroupKind.POOLED)} AS kind, parent, '' AS part, child FROM pooled_edges
    QUALIFY count(*) OVER (PARTITION BY parent) = years
), edges AS (
    SELECT * FROM breakdown UNION ALL SELECT * FROM region UNION ALL SELECT * FROM pooled
)
SELECT dense_rank() OVER (ORDER BY kind, parent, part) - 1 AS gid, kind, parent, child
FROM edges
"""


def _check_hierarchy(hierarchy: pa.Table) -> pa.Table:
    problem = schema_problem(hierarchy.select(HIERARCHY_SCHEMA.names), HIERARCHY_SCHEMA)
    if problem is not None:
        raise ValueError(f"hierarchy: {problem}")
    pairs = hierarchy.group_by(["child_type", "child_code"]).aggregate(
        [("parent_code", "count_distinct")]
    )
    if pairs.num_rows and pc.max(pairs["parent_code_count_distinct"]).as_py() > 1:
        raise ValueError("hierarchy: a child region has more than one parent")
    return hierarchy.select(HIERARCHY_SCHEMA.names)


def additive_groups(cells: pa.Table, hierarchy: pa.Table) -> AdditiveGroups:
    """All additive groups of ``cells`` (which must have the cell keys, unique per row)."""
    keyed = cells.select(list(CELL_KEYS)).append_column(
        "row_id", pa.array(np.arange(cells.num_rows, dtype=np.int64))
    )
    hier = _check_hierarchy(hierarchy).group_by(HIERARCHY_SCHEMA.names).aggregate([])
    con = duckdb.connect()
    try:
        con.register("cells", keyed)
        con.register("hierarchy", hier)
        edges: pa.Table = con.sql(_EDGES_SQL).to_arrow_table()
    finally:
        con.close()
    gid = edges["gid"].to_numpy().astype(np.int64)
    n_groups = int(gid.max()) + 1 if len(gid) else 0
    parent = np.zeros(n_groups, dtype=np.int64)
    kind = np.zeros(n_groups, dtype=np.int8)
    parent[gid] = edges["parent"].to_numpy()
    kind[gid] = edges["kind"].to_numpy()
    return AdditiveGroups(
        parent=parent,
        kind=kind,
        child_group=gid,
        child_row=edges["child"].to_numpy().astype(np.int64),
    )
