"""Repair: hide the cheapest cells that give an exposed count its protection.

For a hidden count whose interval is narrower than the protection level, look for another
table that agrees with everything published, differs from the true table only in hidden
counts and in counts we are willing to hide, and moves the exposed count beyond its interval
by what it lacks. Published cells the other table changes are then hidden; the attacker can no
longer tell the two tables apart, so the count's interval is wide enough. Choosing that table
at the least cost is a linear programme (Fischetti and Salazar-Gonzalez 2000, the model behind
tau-ARGUS's optimal and modular methods): minimise the cost-weighted change of published counts
subject to every declared relation and non-negativity.

The programme runs on the counts within a few relations of the exposed one (widened when that
is not enough), so it stays small on a national table.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kansrijk.publication import lp
from kansrijk.publication.attack import COMPLEMENT, DENOMINATOR, NUMERATOR
from kansrijk.publication.relations import (
    BoolArray,
    FloatArray,
    IntArray,
    Neighbourhood,
    Relations,
)

#: Counts changed by less than this are not changed (solver noise).
EPSILON = 1e-6
#: How many relations away from the exposed count the programme looks, in turn.
REACH = (2, 4, 8, 10_000)
#: A deviation costing this much or more (it changes a national figure) is taken only when
#: looking further finds nothing cheaper: near the exposed count the national total may be
#: the only published neighbour, while provincial cells a few relations further would do.
WIDEN_ABOVE = 1e5
#: ... but not over the whole connected part (slow): up to this reach.
WIDEN_UP_TO = 8


def target_form(relations: Relations, cell: int, kind: int) -> tuple[IntArray, FloatArray]:
    """The quantities and coefficients of one target of a cell."""
    qn, qd = int(relations.cell_num[cell]), int(relations.cell_den[cell])
    if kind == NUMERATOR:
        return np.array([qn]), np.array([1.0])
    if kind == COMPLEMENT:
        return np.array([qd, qn]), np.array([1.0, -1.0])
    if kind == DENOMINATOR:
        return np.array([qd]), np.array([1.0])
    raise ValueError(f"unknown target kind {kind}")


def repair(
    relations: Relations,
    hidden_cells: BoolArray,
    neighbourhood: Neighbourhood,
    cell: int,
    kind: int,
    low: float,
    high: float,
    level: float,
) -> IntArray:
    """The published cells to hide so that the count (``cell``, ``kind``) whose attacker
    interval is [``low``, ``high``] gets one at least ``level`` wide."""
    quantities, coefficients = target_form(relations, cell, kind)
    truth = float(coefficients @ relations.value[quantities])
    lack = level - (high - low)
    hidden_q = relations.hidden_quantities(hidden_cells)
    q_cost = _quantity_costs(relations, hidden_cells, hidden_q)
    best: tuple[float, IntArray] | None = None
    for hops in REACH:
        inside = neighbourhood.within(quantities, hops)
        for target in (high + lack, low - lack):
            if target < 0:
                continue  # every count is at least 0: no table takes it below
            found = _deviation(relations, inside, quantities, coefficients, target - truth, q_cost)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        if best is not None and (best[0] < WIDEN_ABOVE or hops >= WIDEN_UP_TO):
            break
    if best is None:
        raise RuntimeError(f"no table protects cell {cell}: the structure admits none")
    return _carriers(relations, best[1], hidden_q, hidden_cells)


def _quantity_costs(
    relations: Relations, hidden_cells: BoolArray, hidden_q: BoolArray
) -> FloatArray:
    """Per quantity what freeing it costs: the cells that show it must all be hidden (hidden
    quantities move for almost nothing)."""
    carriers = np.concatenate([relations.cell_num, relations.cell_den])
    cells_of = np.concatenate([np.arange(relations.cells), np.arange(relations.cells)])
    keep = (carriers >= 0) & ~hidden_cells[cells_of]
    q_cost = np.zeros(relations.quantities)
    np.add.at(q_cost, carriers[keep], relations.cell_cost[cells_of[keep]])
    return np.where(hidden_q, 1e-6, q_cost)


def _carriers(
    relations: Relations, moved: IntArray, hidden_q: BoolArray, hidden_cells: BoolArray
) -> IntArray:
    """The published cells that show a published quantity of ``moved``."""
    moved_q = np.zeros(relations.quantities, dtype=bool)
    moved_q[moved] = True
    moved_q &= ~hidden_q
    carries = (relations.cell_num >= 0) & moved_q[np.maximum(relations.cell_num, 0)]
    carries |= (relations.cell_den >= 0) & moved_q[np.maximum(relations.cell_den, 0)]
    return np.flatnonzero(carries & ~hidden_cells)


def _cheapest_change(
    relations: Relations,
    cols: IntArray,
    forms: sp.csr_matrix,
    at_least: FloatArray,
    q_cost: FloatArray,
) -> tuple[float, IntArray] | None:
    """The cheapest change y of the quantities ``cols`` (zero elsewhere) that keeps every
    relation and non-negativity, with ``forms @ y >= at_least`` (``forms``: rows over
    ``cols``); its cost and the quantities it moves (None: no such change)."""
    k = len(cols)
    value = np.nan_to_num(relations.value)

    def restrict(matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, IntArray]:
        if matrix.shape[0] == 0:
            return sp.csr_matrix((0, k)), np.zeros(0, dtype=np.int64)
        sub = matrix[:, cols]
        rows = np.flatnonzero(sub.getnnz(axis=1) > 0)
        return sub[rows].tocsr(), rows

    e, _ = restrict(relations.eq)
    g, g_rows = restrict(relations.ineq)
    slack = relations.ineq[g_rows] @ value  # g @ (value + y) >= 0  <=>  g_local @ y >= -slack
    # y = up - down, both >= 0; down is bounded by the count itself (non-negativity).
    program = lp.program(
        a_eq=sp.hstack([e, -e], format="csr"),
        b_eq=np.zeros(e.shape[0]),
        a_ge=sp.vstack([sp.hstack([g, -g]), sp.hstack([forms, -forms])], format="csr"),
        b_ge=np.concatenate([-slack, np.asarray(at_least, dtype=float)]),
        columns=2 * k,
        col_upper=np.concatenate([np.full(k, lp.INF), value[cols]]),
    )
    solution = program.optimise(np.concatenate([q_cost[cols], q_cost[cols]]))
    if solution.x is None:
        return None
    y = solution.x[:k] - solution.x[k:]
    return solution.objective, cols[np.abs(y) > EPSILON]


def _deviation(
    relations: Relations,
    inside: BoolArray,
    quantities: IntArray,
    coefficients: FloatArray,
    shift: float,
    q_cost: FloatArray,
) -> tuple[float, IntArray] | None:
    """The cheapest change y of the counts ``inside`` (zero outside) that keeps every relation
    and non-negativity and moves the target by at least ``shift`` (at most, when negative)."""
    cols = np.flatnonzero(inside)
    local = np.full(relations.quantities, -1, dtype=np.int64)
    local[cols] = np.arange(len(cols))
    t = np.zeros(len(cols))
    t[local[quantities]] = coefficients
    form = sp.csr_matrix(t[None, :] * np.sign(shift))
    return _cheapest_change(relations, cols, form, np.array([abs(shift)]), q_cost)


#: How many relations away from the exposed counts a batched repair looks (at scale 1.0,
#: 2 or 3 relations found a table for 1 batch of 39, 4 for 27).
BATCH_REACH = 4


def repair_many(
    relations: Relations,
    hidden_cells: BoolArray,
    neighbourhood: Neighbourhood,
    cells: IntArray,
    kinds: IntArray,
    low: FloatArray,
    high: FloatArray,
    level: float,
) -> IntArray | None:
    """The published cells to hide so that every exposed count (``cells``, ``kinds``, with
    attacker intervals [``low``, ``high``]) gets an interval at least ``level`` wide: one
    programme for all of them (they should share a scope). It asks for one other table in
    which every count lies ``level`` above its lowest value (a small count can only go up),
    at the least cost of the published counts it changes. None when there is no such table
    near the counts (the caller repairs them one by one). Like `repair`, it proves nothing:
    the next audit checks."""
    forms = [target_form(relations, int(c), int(k)) for c, k in zip(cells, kinds, strict=True)]
    starts = np.unique(np.concatenate([q for q, _ in forms]))
    hidden_q = relations.hidden_quantities(hidden_cells)
    q_cost = _quantity_costs(relations, hidden_cells, hidden_q)
    # One table for many counts asks more than one per count: it may have to change a
    # national figure where single repairs would not (at scale 1.0 it hid all 16 national
    # totals of 2019-08b). Such figures stay fixed here; single repairs may still take one
    # when looking further finds nothing cheaper.
    reach = neighbourhood.within(starts, BATCH_REACH) & (q_cost < WIDEN_ABOVE)
    reach[starts] = True
    cols = np.flatnonzero(reach)
    local = np.full(relations.quantities, -1, dtype=np.int64)
    local[cols] = np.arange(len(cols))
    value = np.nan_to_num(relations.value)
    # Per count: its form over the local columns, and how far up it must go from the truth.
    t_rows, t_cols, t_vals, shift = [], [], [], []
    for j, (q, coef) in enumerate(forms):
        truth = float(coef @ value[q])
        t_rows += [j] * len(q)
        t_cols += local[q].tolist()
        t_vals += coef.tolist()
        shift.append(low[j] + level - truth)
    t = sp.csr_matrix((t_vals, (t_rows, t_cols)), shape=(len(forms), len(cols)))
    found = _cheapest_change(relations, cols, t, np.asarray(shift, dtype=float), q_cost)
    if found is None:
        return None
    return _carriers(relations, found[1], hidden_q, hidden_cells)
