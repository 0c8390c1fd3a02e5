"""A declared structure applied to one table: quantities, cells and the linear relations.

`compile_relations` turns a `TableStructure` and a table into plain arrays:

* **quantities**: every distinct count (a measure's numerator or denominator quantity at one
  coordinate); rows that count the same persons share one quantity;
* **cells**: distinct (numerator quantity, denominator quantity) pairs; rows that are the same
  cell (one indicator in two editions) are hidden or published together;
* **equalities** ``eq @ q == 0`` (hierarchies, partitions) and **inequalities**
  ``ineq @ q >= 0`` (subsets, unions, and numerator <= denominator in every cell), as sparse
  matrices over the quantities;
* **groups** of cells for the fast local rules of secondary suppression: a parent cell with
  the children that add up to it, the members of a partition, and a union cell with its
  parts (with their overlap as the group's slack).

It works on the table with its true counts (for protection) and on a published table whose
hidden rows carry no numbers (for the attacker's audit): a quantity's value is then missing.
All joins run in DuckDB; nothing loops over rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from kansrijk.publication.errors import StructureError
from kansrijk.publication.structure import TableStructure

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Relations:
    """The compiled structure of one table (see the module docstring)."""

    row_cell: IntArray  # per row: its cell
    cell_row: IntArray  # per cell: its first row (for messages and keys)
    cell_num: IntArray  # per cell: numerator quantity, -1 when it has none
    cell_den: IntArray  # per cell: denominator quantity, -1 when it has none
    cell_cost: FloatArray  # per cell: the highest cost of its rows
    value: FloatArray  # per quantity: its count (NaN when no row shows it)
    eq: sp.csr_matrix  # equalities over quantities: eq @ q == 0
    ineq: sp.csr_matrix  # inequalities over quantities: ineq @ q >= 0
    eq_kind: npt.NDArray[np.object_]  # per equality: the hierarchy or partition it states
    q_name: IntArray  # per quantity: its name (index into ``names``)
    names: tuple[str, ...]
    #: Equalities between names that hold at every coordinate (partitions), as
    #: (name index, coefficient) terms.
    name_relations: tuple[tuple[tuple[int, float], ...], ...]
    #: Pairs of names an inequality ties (subsets, unions): they may have to move together.
    name_links: tuple[tuple[int, int], ...]
    q_rest: IntArray  # per quantity: its coordinates but those of the merge hierarchy
    q_coord: IntArray  # per quantity: its coordinates (the measure aside)
    q_leaf: IntArray  # per quantity: its leaf in the merge hierarchy (-1: not a leaf)
    merge_kind: str | None  # the merge hierarchy's name (``eq_kind`` of its relations)
    leaf_group: IntArray  # per leaf: its siblings' group (leaves with the same parents)
    group_parent: IntArray  # per group: its parent cell (-1 for a partition)
    group_parent2: IntArray  # per group: a second parent (-1 when none; see `difference`)
    group_difference: BoolArray  # per group: the members' difference (not sum) is known
    #: per group: how much its members' sum may exceed the parent (a union's overlap; 0 for
    #: sums and partitions)
    group_slack: FloatArray
    member_group: IntArray  # per group member: its group
    member_cell: IntArray  # per group member: its cell
    #: Chains of sliding windows (pooled periods of one length over one line of cells): per
    #: chain the window length, its windows' cells by first period (-1: no such window) and
    #: its single periods' cells (-1: absent, a known zero), both counted from the chain's
    #: first period. Empty without a hierarchy of windows.
    window_length: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    window_pool: IntArray = field(default_factory=lambda: np.empty((0, 0), dtype=np.int64))
    window_year: IntArray = field(default_factory=lambda: np.empty((0, 0), dtype=np.int64))

    @property
    def cells(self) -> int:
        return len(self.cell_num)

    @property
    def quantities(self) -> int:
        return len(self.value)

    @property
    def groups(self) -> int:
        return len(self.group_parent)

    def cell_quantities(self, cells: BoolArray) -> BoolArray:
        """Per quantity: whether some cell in ``cells`` counts it."""
        out = np.zeros(self.quantities, dtype=bool)
        for q in (self.cell_num[cells], self.cell_den[cells]):
            out[q[q >= 0]] = True
        return out

    def hidden_quantities(self, hidden_cells: BoolArray) -> BoolArray:
        """Quantities no published cell shows (a quantity in any published cell is known)."""
        return ~self.cell_quantities(~hidden_cells)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _eq_join(columns: tuple[str, ...], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{_q(c)} = {right}.{_q(c)}" for c in columns) or "TRUE"


def _check_table(table: pa.Table, structure: TableStructure) -> None:
    missing = sorted({*structure.keys, "numerator", "denominator"} - set(table.column_names))
    if missing:
        raise StructureError(f"the table lacks columns {missing}")
    for key in structure.keys:
        if table[key].null_count:
            raise StructureError(f"key column {key} has missing values")
    if table.group_by(list(structure.keys)).aggregate([]).num_rows != table.num_rows:
        raise StructureError(f"the keys {list(structure.keys)} do not identify a row")
    for name in ("numerator", "denominator"):
        if pc.any(pc.less(table[name], 0)).as_py():
            raise StructureError(f"negative {name}")


def compile_relations(table: pa.Table, structure: TableStructure) -> Relations:
    """Quantities, cells, relations and groups of ``table`` under ``structure``.

    Raises StructureError when a row's measure is not declared, when rows that count the same
    quantity disagree, or (for known counts) when a declared relation does not hold.
    """
    _check_table(table, structure)
    keys = structure.keys
    coords = structure.coordinates
    rows = table.select([*keys, "numerator", "denominator"]).append_column(
        "row_id", pa.array(np.arange(table.num_rows, dtype=np.int64))
    )
    measures = structure.measures.select(
        [*structure.measure_keys, "numerator", "denominator"]
    ).rename_columns([*structure.measure_keys, "num_name", "den_name"])
    con = duckdb.connect()
    try:
        con.register("rows_in", rows)
        con.register("measures", measures)
        mk = structure.measure_keys
        coord_order = ", ".join(_q(c) for c in coords) or "1"
        con.sql(f"""
            CREATE TEMP TABLE r AS
            SELECT i.*, m.num_name, m.den_name, m.num_name IS NULL AND m.den_name IS NULL AS bad,
                   dense_rank() OVER (ORDER BY {coord_order}) - 1 AS coord_id
            FROM rows_in i LEFT JOIN measures m ON {_eq_join(mk, "i", "m")}
        """)
        bad = con.execute("SELECT count(*) FROM r WHERE bad").fetchone()
        if bad and bad[0]:
            first = con.execute(
                f"SELECT {', '.join(_q(k) for k in mk)} FROM r WHERE bad LIMIT 1"
            ).fetchone()
            raise StructureError(f"{bad[0]} row(s) have an undeclared measure; first: {first}")
        con.execute("""
            CREATE TEMP TABLE quantity_rows AS
            SELECT num_name AS name, coord_id, numerator AS value, row_id, 'n' AS side
            FROM r WHERE num_name IS NOT NULL
            UNION ALL
            SELECT den_name, coord_id, denominator, row_id, 'd' FROM r WHERE den_name IS NOT NULL
        """)
        con.execute("""
            CREATE TEMP TABLE quantities AS
            SELECT dense_rank() OVER (ORDER BY name, coord_id) - 1 AS q, name, coord_id,
                   min(value) AS value, count(DISTINCT value) AS distinct_values
            FROM quantity_rows GROUP BY name, coord_id
        """)
        clash = con.execute(
            "SELECT name, count(*) FROM quantities WHERE distinct_values > 1 GROUP BY ALL LIMIT 1"
        ).fetchone()
        if clash:
            raise StructureError(
                f"rows that count the same quantity ({clash[0]}) disagree in {clash[1]} place(s)"
            )
        con.execute("""
            CREATE TEMP TABLE rq AS
            SELECT r.row_id, r.coord_id, coalesce(qn.q, -1) AS qn, coalesce(qd.q, -1) AS qd
            FROM r
            LEFT JOIN quantities qn ON qn.name = r.num_name AND qn.coord_id = r.coord_id
            LEFT JOIN quantities qd ON qd.name = r.den_name AND qd.coord_id = r.coord_id
        """)
        con.execute("""
            CREATE TEMP TABLE cells AS
            SELECT dense_rank() OVER (ORDER BY qn, qd) - 1 AS cell, row_id, qn, qd FROM rq
        """)
        cell_table = con.sql(
            "SELECT cell, row_id, qn, qd FROM cells ORDER BY row_id"
        ).to_arrow_table()
        values = con.sql("SELECT value FROM quantities ORDER BY q").to_arrow_table()
        n_quantities = values.num_rows
        q_name, names, q_rest, q_leaf, leaf_group, q_coord = _merge_coordinates(con, structure)

        eq_parts: list[pa.Table] = []  # (rel, q, coef, kind) with a local relation numbering
        groups: list[pa.Table] = []  # (grp, parent_cell, member_cell)
        for h in structure.hierarchies:
            con.register("edges_in", h.edges)
            others = tuple(k for k in keys if k not in h.columns)
            child = " AND ".join(f"c.{_q(c)} = e.{_q('child_' + c)}" for c in h.columns)
            parent = " AND ".join(f"p.{_q(c)} = e.{_q('parent_' + c)}" for c in h.columns)
            label = "e.relation" if "relation" in h.edges.column_names else "''"
            con.sql(f"""
                CREATE OR REPLACE TEMP TABLE pairs AS
                SELECT DISTINCT {label} AS label, p.row_id AS parent_row, c.row_id AS child_row
                FROM r c JOIN edges_in e ON {child}
                JOIN r p ON {parent} AND {_eq_join(others, "p", "c")}
            """)
            con.unregister("edges_in")
            for side in ("qn", "qd"):
                eq_parts.append(
                    con.sql(f"""
                    WITH rel AS (
                        SELECT DISTINCT label, pq.{side} AS parent_q, cq.{side} AS child_q
                        FROM pairs JOIN rq pq ON pq.row_id = pairs.parent_row
                        JOIN rq cq ON cq.row_id = pairs.child_row
                        WHERE pq.{side} >= 0 AND cq.{side} >= 0
                    ), numbered AS (
                        SELECT dense_rank() OVER (ORDER BY label, parent_q) - 1 AS rel, * FROM rel
                    )
                    SELECT rel, parent_q AS q, -1 AS coef, '{h.name}' AS kind
                    FROM numbered GROUP BY rel, parent_q
                    UNION ALL SELECT rel, child_q, 1, '{h.name}' FROM numbered
                """).to_arrow_table()
                )
            groups.append(
                con.sql("""
                WITH g AS (
                    SELECT DISTINCT label, pc.cell AS parent_cell, cc.cell AS member_cell
                    FROM pairs JOIN cells pc ON pc.row_id = pairs.parent_row
                    JOIN cells cc ON cc.row_id = pairs.child_row
                )
                SELECT dense_rank() OVER (ORDER BY label, parent_cell) - 1 AS grp, parent_cell,
                       -1 AS parent2_cell, member_cell, false AS difference FROM g
            """).to_arrow_table()
            )
            # Two parents whose children differ in one child each (overlapping pooled windows)
            # give away the difference of those two children: the pair is a group of its own.
            groups.append(
                con.sql("""
                WITH cp AS (
                    SELECT DISTINCT label, pc.cell AS p, cc.cell AS c
                    FROM pairs JOIN cells pc ON pc.row_id = pairs.parent_row
                    JOIN cells cc ON cc.row_id = pairs.child_row
                ), sizes AS (SELECT label, p, count(*) AS k FROM cp GROUP BY label, p),
                ov AS (
                    SELECT a.label, a.p AS p1, b.p AS p2, count(*) AS shared
                    FROM cp a JOIN cp b ON a.label = b.label AND a.c = b.c AND a.p < b.p
                    GROUP BY a.label, a.p, b.p
                ), cand AS (
                    SELECT ov.label, p1, p2 FROM ov
                    JOIN sizes s1 ON s1.label = ov.label AND s1.p = ov.p1
                    JOIN sizes s2 ON s2.label = ov.label AND s2.p = ov.p2
                    WHERE shared = s1.k - 1 AND shared = s2.k - 1
                ), m AS (
                    SELECT cand.label, p1, p2, cp.c FROM cand JOIN cp
                      ON cp.label = cand.label AND cp.p = cand.p1
                    WHERE cp.c NOT IN (
                        SELECT c FROM cp x WHERE x.label = cand.label AND x.p = cand.p2)
                    UNION ALL
                    SELECT cand.label, p1, p2, cp.c FROM cand JOIN cp
                      ON cp.label = cand.label AND cp.p = cand.p2
                    WHERE cp.c NOT IN (
                        SELECT c FROM cp x WHERE x.label = cand.label AND x.p = cand.p1)
                )
                SELECT dense_rank() OVER (ORDER BY label, p1, p2) - 1 AS grp, p1 AS parent_cell,
                       p2 AS parent2_cell, c AS member_cell, true AS difference FROM m
            """).to_arrow_table()
            )
        windows = _window_chains(con, structure)
        ineq_parts: list[pa.Table] = []
        for i, part in enumerate(structure.partitions):
            con.register("part_names", pa.table({"name": list(part.parts)}))
            whole = part.whole.replace("'", "''")
            eq_parts.append(
                con.sql(f"""
                WITH w AS (SELECT q, coord_id FROM quantities WHERE name = '{whole}'),
                parts AS (
                    SELECT w.q AS whole_q, p.q FROM quantities p JOIN w USING (coord_id)
                    WHERE p.name IN (SELECT name FROM part_names)
                ), numbered AS (
                    SELECT dense_rank() OVER (ORDER BY whole_q) - 1 AS rel, * FROM parts
                )
                SELECT rel, whole_q AS q, -1 AS coef, 'partition {i}' AS kind
                FROM numbered GROUP BY rel, whole_q
                UNION ALL SELECT rel, q, 1, 'partition {i}' FROM numbered
            """).to_arrow_table()
            )
            groups.append(
                con.sql("""
                WITH m AS (
                    SELECT DISTINCT q.coord_id, c.cell FROM quantities q
                    JOIN cells c ON c.qn = q.q WHERE q.name IN (SELECT name FROM part_names)
                )
                SELECT dense_rank() OVER (ORDER BY coord_id) - 1 AS grp, -1 AS parent_cell,
                       -1 AS parent2_cell, cell AS member_cell, false AS difference FROM m
            """).to_arrow_table()
            )
            con.unregister("part_names")
        pairs_le: list[tuple[str, str]] = [(s.part, s.whole) for s in structure.subsets]
        for u in structure.unions:
            pairs_le += [(p, u.union) for p in u.parts]
        if pairs_le:
            con.register(
                "le",
                pa.table({"small": [a for a, _ in pairs_le], "big": [b for _, b in pairs_le]}),
            )
            ineq_parts.append(
                con.sql("""
                WITH x AS (
                    SELECT row_number() OVER (ORDER BY s.q, b.q) - 1 AS rel,
                           s.q AS small_q, b.q AS big_q
                    FROM le JOIN quantities s ON s.name = le.small
                    JOIN quantities b ON b.name = le.big AND b.coord_id = s.coord_id
                )
                SELECT rel, big_q AS q, 1 AS coef FROM x
                UNION ALL SELECT rel, small_q, -1 FROM x
            """).to_arrow_table()
            )
        for u in structure.unions:
            con.register("union_parts", pa.table({"name": list(u.parts)}))
            name = u.union.replace("'", "''")
            ineq_parts.append(
                con.sql(f"""
                WITH x AS (
                    SELECT dense_rank() OVER (ORDER BY u.q) - 1 AS rel, u.q AS union_q, p.q
                    FROM quantities u JOIN quantities p USING (coord_id)
                    WHERE u.name = '{name}' AND p.name IN (SELECT name FROM union_parts)
                )
                SELECT rel, union_q AS q, -1 AS coef FROM x GROUP BY rel, union_q
                UNION ALL SELECT rel, q, 1 FROM x
            """).to_arrow_table()
            )
            # The union cell and its parts' cells form a group of the local rules, with the
            # parts' overlap (their sum less the union) as its slack: where the parts hardly
            # overlap, the published union less the published parts pins a hidden part from
            # below, as a sum would (`secondary`).
            groups.append(
                con.sql(f"""
                WITH parts AS (
                    SELECT u.q AS union_q, u.value AS union_value, p.q AS part_q,
                           p.value AS part_value
                    FROM quantities u JOIN quantities p USING (coord_id)
                    WHERE u.name = '{name}' AND p.name IN (SELECT name FROM union_parts)
                ), slack AS (
                    SELECT union_q, sum(part_value) - any_value(union_value) AS slack
                    FROM parts GROUP BY union_q
                ), g AS (
                    SELECT DISTINCT parts.union_q, pc.cell AS parent_cell, mc.cell AS member_cell
                    FROM parts JOIN cells pc ON pc.qn = parts.union_q
                    JOIN cells mc ON mc.qn = parts.part_q
                )
                SELECT dense_rank() OVER (ORDER BY g.union_q, parent_cell) - 1 AS grp,
                       parent_cell, -1 AS parent2_cell, member_cell, false AS difference,
                       coalesce(CAST(slack AS DOUBLE), 0.0) AS slack
                FROM g JOIN slack USING (union_q)
            """).to_arrow_table()
            )
            con.unregister("union_parts")
        ineq_parts.append(
            con.sql("""
            WITH x AS (
                SELECT row_number() OVER (ORDER BY qn, qd) - 1 AS rel, qn, qd
                FROM (SELECT DISTINCT qn, qd FROM cells WHERE qn >= 0 AND qd >= 0)
            )
            SELECT rel, qd AS q, 1 AS coef FROM x UNION ALL SELECT rel, qn, -1 FROM x
        """).to_arrow_table()
        )
    finally:
        con.close()

    eq, eq_kind = _stack(eq_parts, n_quantities, with_kind=True)
    ineq, _ = _stack(ineq_parts, n_quantities, with_kind=False)
    row_cell: IntArray = np.asarray(cell_table["cell"].to_numpy(), dtype=np.int64)
    n_cells = int(row_cell.max()) + 1 if len(row_cell) else 0
    first_row: IntArray = np.full(n_cells, len(row_cell), dtype=np.int64)
    np.minimum.at(first_row, row_cell, np.arange(len(row_cell), dtype=np.int64))
    cell_num = np.empty(n_cells, dtype=np.int64)
    cell_den = np.empty(n_cells, dtype=np.int64)
    cell_num[row_cell] = cell_table["qn"].to_numpy()
    cell_den[row_cell] = cell_table["qd"].to_numpy()
    row_cost = np.asarray(structure.cost(table), dtype=np.float64)
    if row_cost.shape != (table.num_rows,) or not np.all(np.isfinite(row_cost)):
        raise StructureError("the cost function must give one finite cost per row")
    cell_cost = np.zeros(n_cells, dtype=np.float64)
    np.maximum.at(cell_cost, row_cell, row_cost)
    value = np.asarray(pc.fill_null(values["value"].cast(pa.float64()), np.nan), dtype=float)
    (
        group_parent,
        group_parent2,
        group_difference,
        group_slack,
        member_group,
        member_cell,
    ) = _stack_groups(groups)
    relations = Relations(
        row_cell=row_cell,
        cell_row=first_row,
        cell_num=cell_num,
        cell_den=cell_den,
        cell_cost=cell_cost,
        value=value,
        eq=eq,
        ineq=ineq,
        eq_kind=eq_kind,
        q_name=q_name,
        names=names,
        name_relations=_name_relations(structure, names),
        name_links=_name_links(structure, names),
        q_rest=q_rest,
        q_coord=q_coord,
        q_leaf=q_leaf,
        merge_kind=structure.merge_over,
        leaf_group=leaf_group,
        group_parent=group_parent,
        group_parent2=group_parent2,
        group_difference=group_difference,
        group_slack=group_slack,
        member_group=member_group,
        member_cell=member_cell,
        window_length=windows[0],
        window_pool=windows[1],
        window_year=windows[2],
    )
    return relations


def _window_chains(
    con: duckdb.DuckDBPyConnection, structure: TableStructure
) -> tuple[IntArray, IntArray, IntArray]:
    """The chains of sliding windows of the hierarchies of windows (see `Relations`).

    A chain is one line of cells (equal in every key but the period) and one window length,
    with at least two windows; its slots count periods from its first window's start.
    """
    parts: list[pa.Table] = []
    for h in structure.hierarchies:
        if not h.windows:
            continue
        first, last = (_q(c) for c in h.columns)
        others = [k for k in structure.keys if k not in h.columns]
        line = ", ".join(f"r.{_q(k)}" for k in others) or "1"
        parts.append(
            con.sql(f"""
            WITH w AS (
                SELECT c.cell, r.{first} AS s, r.{last} AS e,
                       dense_rank() OVER (ORDER BY {line}) AS line
                FROM r JOIN cells c USING (row_id)
            ), pools AS (SELECT line, e - s + 1 AS len, s, cell FROM w WHERE e > s),
            chains AS (
                SELECT line, len, min(s) AS first, max(s + len - 1) AS last
                FROM pools GROUP BY line, len HAVING count(*) >= 2
            ), numbered AS (
                SELECT dense_rank() OVER (ORDER BY line, len) - 1 AS chain, * FROM chains
            )
            SELECT chain, len, true AS pool, s - first AS slot, cell
            FROM pools JOIN numbered USING (line, len)
            UNION ALL
            SELECT chain, len, false, w.s - first, w.cell
            FROM w JOIN numbered USING (line)
            WHERE w.e = w.s AND w.s BETWEEN first AND last
        """).to_arrow_table()
        )
    table = pa.concat_tables(parts) if parts else None
    if table is None or table.num_rows == 0:
        empty = np.empty((0, 0), dtype=np.int64)
        return np.empty(0, dtype=np.int64), empty, empty
    offset = 0
    chain_ids: list[IntArray] = []
    for part in parts:  # each part numbers its chains from 0
        ids = part["chain"].to_numpy().astype(np.int64)
        chain_ids.append(ids + offset)
        offset += int(ids.max()) + 1 if len(ids) else 0
    chain = np.concatenate(chain_ids)
    length_of = table["len"].to_numpy().astype(np.int64)
    pool = table["pool"].to_numpy(zero_copy_only=False).astype(bool)
    slot = table["slot"].to_numpy().astype(np.int64)
    cell = table["cell"].to_numpy().astype(np.int64)
    length = np.zeros(offset, dtype=np.int64)
    length[chain] = length_of
    window_pool = np.full((offset, int(slot[pool].max()) + 1), -1, dtype=np.int64)
    window_pool[chain[pool], slot[pool]] = cell[pool]
    years = ~pool
    width = int(slot[years].max()) + 1 if years.any() else 1
    window_year = np.full((offset, max(width, int(slot[pool].max()) + int(length.max()))), -1)
    window_year[chain[years], slot[years]] = cell[years]
    return length, window_pool, window_year.astype(np.int64)


def _name_relations(
    structure: TableStructure, names: tuple[str, ...]
) -> tuple[tuple[tuple[int, float], ...], ...]:
    index = {n: i for i, n in enumerate(names)}
    out = []
    for part in structure.partitions:
        if part.whole not in index or not all(p in index for p in part.parts):
            continue
        out.append(((index[part.whole], -1.0), *((index[p], 1.0) for p in part.parts)))
    return tuple(out)


def _name_links(structure: TableStructure, names: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    index = {n: i for i, n in enumerate(names)}
    pairs = [(s.part, s.whole) for s in structure.subsets]
    pairs += [(p, u.union) for u in structure.unions for p in u.parts]
    return tuple((index[a], index[b]) for a, b in pairs if a in index and b in index)


def _merge_coordinates(
    con: duckdb.DuckDBPyConnection, structure: TableStructure
) -> tuple[IntArray, tuple[str, ...], IntArray, IntArray, IntArray, IntArray]:
    """Per quantity its name, its coordinates outside the merge hierarchy and its leaf in it;
    per leaf the group of its siblings (see `TableStructure.merge_over`)."""
    coords = structure.coordinates
    merge = next((h for h in structure.hierarchies if h.name == structure.merge_over), None)
    inner = tuple(c for c in coords if merge is None or c not in merge.columns)
    rest_order = ", ".join(f"c.{_q(c)}" for c in inner) or "1"
    con.sql(f"""
        CREATE TEMP TABLE coords AS
        SELECT DISTINCT coord_id, {", ".join(_q(c) for c in coords) or "1 AS none"} FROM r
    """)
    names_table = con.sql("SELECT DISTINCT name FROM quantities ORDER BY name").to_arrow_table()
    names = tuple(names_table["name"].to_pylist())
    if merge is None:
        leaf_sql = "-1 AS leaf"
        groups_sql = "SELECT 0 AS leaf, 0 AS grp WHERE false"
    else:
        con.register("merge_edges", merge.edges)
        label = "e.relation" if "relation" in merge.edges.column_names else "''"
        mc = merge.columns
        child_eq = " AND ".join(f"c.{_q(x)} = e.{_q('child_' + x)}" for x in mc)
        parent_eq = " AND ".join(f"c.{_q(x)} = e.{_q('parent_' + x)}" for x in mc)
        con.sql(f"""
            CREATE TEMP TABLE leaves AS
            WITH v AS (SELECT DISTINCT {", ".join(f"c.{_q(x)}" for x in mc)} FROM coords c)
            SELECT dense_rank() OVER (ORDER BY {", ".join(f"c.{_q(x)}" for x in mc)}) - 1
                   AS leaf, c.*
            FROM v c
            WHERE NOT EXISTS (SELECT 1 FROM merge_edges e WHERE {parent_eq})
        """)
        con.sql(f"""
            CREATE TEMP TABLE leaf_groups AS
            WITH p AS (
                SELECT l.leaf, string_agg({label} || '/' ||
                       {" || '/' || ".join(f"CAST(e.{_q('parent_' + x)} AS VARCHAR)" for x in mc)},
                       ',' ORDER BY {label} || '/' ||
                       {" || '/' || ".join(f"CAST(e.{_q('parent_' + x)} AS VARCHAR)" for x in mc)})
                       AS parents
                FROM leaves l JOIN merge_edges e ON {child_eq.replace("c.", "l.")}
                GROUP BY l.leaf
            )
            SELECT leaf, dense_rank() OVER (ORDER BY parents) - 1 AS grp FROM p
        """)
        leaf_join = " AND ".join(f"l.{_q(x)} = c.{_q(x)}" for x in mc)
        leaf_sql = f"coalesce((SELECT l.leaf FROM leaves l WHERE {leaf_join}), -1) AS leaf"
        groups_sql = "SELECT leaf, grp FROM leaf_groups"
    table = con.sql(f"""
        WITH rest AS (
            SELECT c.coord_id, dense_rank() OVER (ORDER BY {rest_order}) - 1 AS rest, {leaf_sql}
            FROM coords c
        )
        SELECT q.q, n.i AS name, rest.rest, rest.leaf, q.coord_id
        FROM quantities q JOIN rest USING (coord_id)
        JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS i FROM
              (SELECT DISTINCT name FROM quantities)) n USING (name)
        ORDER BY q.q
    """).to_arrow_table()
    leaf_table = con.sql(groups_sql).to_arrow_table()
    n_leaves = int(leaf_table["leaf"].to_numpy().max()) + 1 if leaf_table.num_rows else 0
    leaf_group = np.full(n_leaves, -1, dtype=np.int64)
    leaf_group[leaf_table["leaf"].to_numpy()] = leaf_table["grp"].to_numpy()
    return (
        table["name"].to_numpy().astype(np.int64),
        names,
        table["rest"].to_numpy().astype(np.int64),
        table["leaf"].to_numpy().astype(np.int64),
        leaf_group,
        table["coord_id"].to_numpy().astype(np.int64),
    )


def _stack(
    parts: list[pa.Table], n_quantities: int, *, with_kind: bool
) -> tuple[sp.csr_matrix, npt.NDArray[np.object_]]:
    """One sparse matrix from relation parts that each number their relations from 0."""
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    data: list[IntArray] = []
    kinds: list[npt.NDArray[np.object_]] = []
    offset = 0
    for part in parts:
        if part.num_rows == 0:
            continue
        rel = part["rel"].to_numpy().astype(np.int64)
        count = int(rel.max()) + 1
        rows.append(rel + offset)
        cols.append(part["q"].to_numpy().astype(np.int64))
        data.append(part["coef"].to_numpy().astype(np.int64))
        if with_kind:
            kind = np.empty(count, dtype=object)
            kind[rel] = part["kind"].to_numpy(zero_copy_only=False)
            kinds.append(kind)
        offset += count
    if not rows:
        return sp.csr_matrix((0, n_quantities)), np.empty(0, dtype=object)
    matrix = sp.csr_matrix(
        (np.concatenate(data).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))),
        shape=(offset, n_quantities),
    )
    # Canonical form whatever order the parts' rows came in (solvers see the same matrix).
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix, (np.concatenate(kinds) if kinds else np.empty(0, dtype=object))


def _stack_groups(
    parts: list[pa.Table],
) -> tuple[IntArray, IntArray, BoolArray, FloatArray, IntArray, IntArray]:
    parents: list[IntArray] = []
    parents2: list[IntArray] = []
    differences: list[BoolArray] = []
    slacks: list[FloatArray] = []
    member_group: list[IntArray] = []
    member_cell: list[IntArray] = []
    offset = 0
    for part in parts:
        if part.num_rows == 0:
            continue
        grp = part["grp"].to_numpy().astype(np.int64)
        count = int(grp.max()) + 1
        for target, column, dtype in (
            (parents, "parent_cell", np.int64),
            (parents2, "parent2_cell", np.int64),
            (differences, "difference", np.bool_),
            (slacks, "slack", np.float64),
        ):
            values = np.zeros(count, dtype=dtype)
            if column in part.column_names:
                values[grp] = part[column].to_numpy(zero_copy_only=False)
            target.append(values)  # type: ignore[arg-type]
        member_group.append(grp + offset)
        member_cell.append(part["member_cell"].to_numpy().astype(np.int64))
        offset += count
    if not parents:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=bool), np.empty(0), empty, empty
    groups, cells = np.concatenate(member_group), np.concatenate(member_cell)
    order = np.lexsort((cells, groups))  # members in a fixed order, whatever SQL returned
    return (
        np.concatenate(parents),
        np.concatenate(parents2),
        np.concatenate(differences),
        np.concatenate(slacks),
        groups[order],
        cells[order],
    )


def violated(relations: Relations) -> tuple[int, int]:
    """How many equalities and inequalities the known quantities break (both 0 when valid).

    Only relations whose quantities are all known are checked.
    """
    value = relations.value
    known = ~np.isnan(value)
    filled = np.where(known, value, 0.0)

    def broken(matrix: sp.csr_matrix, test: str) -> int:
        if matrix.shape[0] == 0:
            return 0
        unknown = matrix.astype(bool) @ (~known).astype(np.float64) > 0
        result = matrix @ filled
        bad = np.abs(result) > 0.5 if test == "eq" else result < -0.5
        return int(np.count_nonzero(bad & ~unknown))

    return broken(relations.eq, "eq"), broken(relations.ineq, "ineq")


@dataclass
class Neighbourhood:
    """Adjacency of quantities through shared relations, for breadth-first reach."""

    adjacency: sp.csr_matrix

    @classmethod
    def of(cls, relations: Relations) -> Neighbourhood:
        blocks = [m for m in (relations.eq, relations.ineq) if m.shape[0]]
        if not blocks:
            return cls(sp.csr_matrix((relations.quantities, relations.quantities)))
        incidence = sp.vstack(blocks, format="csr").astype(bool).astype(np.float32)
        return cls((incidence.T @ incidence).tocsr())

    def within(self, start: IntArray, hops: int) -> BoolArray:
        reached = np.zeros(self.adjacency.shape[0], dtype=bool)
        reached[start] = True
        frontier = reached.astype(np.float32)
        for _ in range(hops):
            nxt = (self.adjacency @ frontier) > 0
            new = nxt & ~reached
            if not new.any():
                break
            reached |= new
            frontier = new.astype(np.float32)
        return reached
