"""The attacker: what linear programming derives about hidden counts from what is published.

An attacker knows every published count, every declared relation (`relations`) and that counts
are not negative. For a hidden count that gives an interval: no lower than the minimum and no
higher than the maximum of a linear programme over all hidden counts (HiGHS). A sensitive
count is *protected* when that interval is at least the protection level wide (tau-ARGUS's
sliding protection level; `DisclosurePolicy`).

Solving two programmes per hidden count would take long on a national table, so protection is
shown in stages, each sound on its own:

1. **Certificates that need no programme** (`collapse`): clean leaves of one group (every
   count of their sub-table hidden) may trade their counts, so a count of such a leaf ranges
   from 0 to the largest value of the aggregate. Every such table is one the attacker cannot
   rule out, so every value a count takes in one lies inside the attacker's interval.
2. **One feasibility programme per count left**, per connected part of the hidden counts: is
   there a table in which the count reaches ``low + level``, ``low`` being the lowest value
   seen so far? If so the count is protected (and the table found widens the known range of
   every other count of the part); if not, the attacker's interval is narrower than the
   level (its minimum is at most ``low``): the count is *exposed*, and two more programmes
   give its exact interval.

Stage 2 runs under a work budget (`Budget`: programmes weighted by their size, smallest parts
first; counted, not timed, so that a run is reproducible): counts it does not reach, and parts
with more hidden counts than ``max_part``, are left *unresolved* (unless ``exact``).
Unresolved is never reported as protected: `protect` records it and ``kansrijk monitor audit``
fails on it.
"""

from __future__ import annotations

import collections
import os
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from kansrijk.publication import lp
from kansrijk.publication.collapse import collapse
from kansrijk.publication.relations import (
    BoolArray,
    FloatArray,
    IntArray,
    Neighbourhood,
    Relations,
)

_DEBUG = bool(os.environ.get("KANSRIJK_DEBUG_ATTACK"))
#: Slack for floating-point results of the solver (counts are integers).
TOLERANCE = 1e-6
#: Kinds of count: the numerator, the complement (denominator - numerator), the denominator.
NUMERATOR, COMPLEMENT, DENOMINATOR = 0, 1, 2
KIND_NAMES = ("numerator", "complement", "denominator")
#: Hidden counts of a connected part at most for stage 2 (larger parts: unresolved).
MAX_PART = 40000

CERTIFIED, EXPOSED, UNRESOLVED = 0, 1, 2
STATUS_NAMES = ("protected", "exposed", "unresolved")


class Budget:
    """Work the audit may do: each programme costs 1 + its columns / 1000 units."""

    def __init__(self, units: float | None) -> None:
        self.units = units
        self.spent = 0.0

    def spend(self, columns: float) -> None:
        self.spent += 1.0 + columns / 1000.0

    @property
    def exhausted(self) -> bool:
        return self.units is not None and self.spent >= self.units


@dataclass(frozen=True)
class Targets:
    """The hidden counts to examine: per target its cell and kind."""

    cell: IntArray
    kind: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return len(self.cell)


@dataclass(frozen=True)
class Attack:
    """What the attacker derives about the targets of one table."""

    targets: Targets
    value: FloatArray  # per target: its true value
    low: FloatArray  # per target: lowest value shown feasible (exact when exposed)
    high: FloatArray  # per target: highest value shown feasible (exact when exposed)
    status: npt.NDArray[np.int8]  # per target: CERTIFIED, EXPOSED or UNRESOLVED
    level: float
    how: npt.NDArray[np.int8]  # per target: 0 certificate, 1 programme, 2 none

    @property
    def width(self) -> FloatArray:
        return self.high - self.low

    @property
    def protected(self) -> BoolArray:
        return np.asarray(self.status == CERTIFIED, dtype=bool)

    @property
    def exposed(self) -> BoolArray:
        return np.asarray(self.status == EXPOSED, dtype=bool)

    @property
    def unresolved(self) -> BoolArray:
        return np.asarray(self.status == UNRESOLVED, dtype=bool)


def forms(
    relations: Relations, cell: IntArray, kind: npt.NDArray[np.int8]
) -> tuple[IntArray, IntArray]:
    """Per target the quantity it adds and the one it subtracts (-1: none)."""
    qn = relations.cell_num[cell]
    qd = relations.cell_den[cell]
    plus = np.where(kind == NUMERATOR, qn, qd)
    minus = np.where(kind == COMPLEMENT, qn, -1)
    return plus, minus


@dataclass(frozen=True)
class _Problem:
    """The attacker's linear programme over the hidden quantities."""

    hidden: IntArray  # quantity ids of the variables
    a_eq: sp.csr_matrix  # a_eq @ x == b_eq
    b_eq: FloatArray
    a_ge: sp.csr_matrix  # a_ge @ x >= b_ge
    b_ge: FloatArray
    targets: sp.csr_matrix  # per target: its linear form over the variables
    offset: FloatArray  # per target: its constant part (published counts)

    def part(self, cols: IntArray, rows: IntArray) -> _Problem:
        """The programme over variables ``cols`` (a connected part) and targets ``rows``."""
        e = np.flatnonzero(self.a_eq[:, cols].getnnz(axis=1) > 0)
        g = np.flatnonzero(self.a_ge[:, cols].getnnz(axis=1) > 0)
        return _Problem(
            hidden=self.hidden[cols],
            a_eq=self.a_eq[e][:, cols].tocsr(),
            b_eq=self.b_eq[e],
            a_ge=self.a_ge[g][:, cols].tocsr(),
            b_ge=self.b_ge[g],
            targets=self.targets[rows][:, cols].tocsr(),
            offset=self.offset[rows],
        )


def _problem(
    eq: sp.csr_matrix,
    ineq: sp.csr_matrix,
    value: FloatArray,
    hidden_q: BoolArray,
    plus: IntArray,
    minus: IntArray,
) -> _Problem:
    """The attacker's programme over the hidden columns, and the targets' linear forms."""
    n_cols = len(value)
    hidden = np.flatnonzero(hidden_q)
    column = np.full(n_cols, -1, dtype=np.int64)
    column[hidden] = np.arange(len(hidden))
    known = np.where(hidden_q, 0.0, np.nan_to_num(value))

    def split(matrix: sp.csr_matrix) -> tuple[sp.csr_matrix, FloatArray]:
        if matrix.shape[0] == 0:
            return sp.csr_matrix((0, len(hidden))), np.zeros(0)
        touches = matrix[:, hidden]
        keep = np.flatnonzero(touches.getnnz(axis=1) > 0)
        return touches[keep].tocsr(), -(matrix[keep] @ known)

    a_eq, b_eq = split(eq)
    a_ge, b_ge = split(ineq)
    n = len(plus)
    rows = np.concatenate([np.arange(n), np.arange(n)])
    cols = np.concatenate([plus, minus])
    data = np.concatenate([np.ones(n), -np.ones(n)])
    use = cols >= 0
    on_hidden = use & (column[np.maximum(cols, 0)] >= 0)
    matrix = sp.csr_matrix(
        (data[on_hidden], (rows[on_hidden], column[cols[on_hidden]])), shape=(n, len(hidden))
    )
    on_known = use & ~on_hidden
    offset = np.zeros(n)
    np.add.at(offset, rows[on_known], data[on_known] * known[cols[on_known]])
    return _Problem(hidden, a_eq, b_eq, a_ge, b_ge, matrix, offset)


def _components(problem: _Problem) -> IntArray:
    """Per hidden quantity: its connected part (quantities linked by a shared relation)."""
    nv = len(problem.hidden)
    blocks = [m for m in (problem.a_eq, problem.a_ge) if m.shape[0]]
    if not blocks:
        return np.arange(nv, dtype=np.int64)
    incidence = sp.vstack(blocks, format="csr").astype(bool).astype(np.int8)
    adjacency = (incidence.T @ incidence).tocsr()
    _, labels = connected_components(adjacency, directed=False)
    return np.asarray(labels, dtype=np.int64)


def attack(
    relations: Relations,
    hidden_cells: BoolArray,
    targets: Targets,
    level: float,
    *,
    exact: bool = False,
    max_part: int = MAX_PART,
    budget: Budget | None = None,
    intervals: bool = True,
) -> Attack:
    """The attacker's view of ``targets`` (see the module docstring).

    ``relations.value`` must hold the true counts of the hidden cells (they are the first
    feasible table). With ``exact`` every target gets its exact interval, whatever it costs.
    ``budget``: the work stage 2 may do (None: no limit). Without ``intervals`` an exposed
    count keeps the range seen (inside its exact interval, so narrower than the level too)
    instead of two more programmes: enough to repair it, and the next audit checks.
    """
    budget = budget or Budget(None)
    hidden_q = relations.hidden_quantities(hidden_cells)
    plus, minus = forms(relations, targets.cell, targets.kind)
    value_q = np.nan_to_num(relations.value)
    truth = value_q[plus] - np.where(minus >= 0, value_q[np.maximum(minus, 0)], 0.0)
    n = len(targets)
    # Clean leaves of one group count as one (module `collapse`): the programme shrinks, and
    # a count of such a leaf ranges from 0 (another clean leaf takes its sub-table) to the
    # aggregate's largest value.
    col = collapse(relations, hidden_q)
    cp = col.column[plus]
    cm = np.where(minus >= 0, col.column[np.maximum(minus, 0)], -1)
    floor = col.members[cp] >= 2
    keys = np.stack([cp, cm, floor.astype(np.int64)], axis=1)
    uniq, of = np.unique(keys, axis=0, return_inverse=True)
    of = of.ravel()
    problem = _problem(col.eq, col.ineq, col.value, col.hidden, uniq[:, 0], uniq[:, 1])
    x0 = col.value[problem.hidden]
    value = problem.targets @ x0 + problem.offset
    lo = np.where(uniq[:, 2] > 0, 0.0, value)
    hi = value.copy()
    m = len(uniq)
    how = np.full(m, 0, dtype=np.int8)
    status = np.full(m, UNRESOLVED, dtype=np.int8)
    status[hi - lo >= level - TOLERANCE] = CERTIFIED
    labels = _components(problem)
    t = problem.targets.tocsr()
    has = np.diff(t.indptr) > 0
    part = np.full(m, -1, dtype=np.int64)
    part[has] = labels[t.indices[t.indptr[:-1][has]]]
    # A target on published counts only is known exactly.
    status[(part < 0) & (status != CERTIFIED)] = EXPOSED
    how[(part < 0) | (status != CERTIFIED)] = 1
    todo = (status == UNRESOLVED) if not exact else (part >= 0)
    if todo.any():
        sizes = np.bincount(labels)
        if _DEBUG:
            parts = np.unique(part[todo])
            print(
                f"attack: {int(todo.sum())} of {m} collapsed targets ({n} counts) left in "
                f"{len(parts)} parts of {len(problem.hidden)} columns; largest "
                f"{sorted(sizes[parts].tolist())[-5:]}",
                flush=True,
            )
        parts = np.unique(part[todo])
        small_parts = 0.0
        for comp in parts[np.argsort(sizes[parts], kind="stable")]:
            if sizes[comp] > max_part and not exact:
                continue
            if budget.exhausted:
                break
            cols = np.flatnonzero(labels == comp)
            members = np.flatnonzero(part == comp)
            sub = problem.part(cols, members)
            began = time.perf_counter()
            _settle(
                sub,
                members,
                lo,
                hi,
                status,
                how,
                level,
                exact,
                budget,
                uniq[:, 2] > 0,
                x0[cols],
                intervals,
            )
            small_parts += time.perf_counter() - began if len(cols) < 500 else 0.0
            if _DEBUG and len(cols) >= 500:
                print(
                    f"  part of {len(cols)}: {len(members)} targets, "
                    f"{time.perf_counter() - began:.1f} s",
                    flush=True,
                )
        if _DEBUG:
            print(f"  parts under 500 columns: {small_parts:.1f} s", flush=True)
    return Attack(targets, truth, lo[of], hi[of], status[of], level, how[of])


#: Push rounds at most on a part before one programme per count (each certifies many).
PUSH_ROUNDS = 8
#: Parts smaller than this skip the push rounds (their programmes are quick anyway).
PUSH_FROM = 1500
#: Parts at least this large first ask each count's question of a local programme: only
#: the hidden counts within a few relations of it move, the others keep their true values.
LOCAL_FROM = 1500
#: How many relations away the local programme reaches, in turn (then the whole part).
LOCAL_HOPS = (2, 4)


class _Local:
    """Local programmes of one part: a count's question asked of the hidden counts within a
    few relations of it, every other count fixed at its true value. A table found there
    keeps every relation (the rows it does not touch hold at the true values), so it is a
    table the attacker cannot rule out: a sound certificate, at a fraction of the cost of
    the part's programme. Not finding one proves nothing (the caller asks the whole part)."""

    def __init__(self, sub: _Problem, x0: FloatArray) -> None:
        self.a = sp.vstack([sub.a_eq, sub.a_ge], format="csc")
        self.equal = np.concatenate(
            [np.ones(sub.a_eq.shape[0], dtype=bool), np.zeros(sub.a_ge.shape[0], dtype=bool)]
        )
        self.b = np.concatenate([sub.b_eq, sub.b_ge])
        incidence = self.a.astype(bool).astype(np.float32)
        self.neighbourhood = Neighbourhood((incidence.T @ incidence).tocsr())
        self.x0 = x0
        self.targets = sub.targets.tocsr()
        self.offset = sub.offset

    def table(self, j: int, at_least: float, hops: int) -> FloatArray | None:
        """A table in which target ``j`` is at least ``at_least``, moving only the counts
        within ``hops`` relations of it (None: none found there)."""
        t = self.targets[j]
        cols = np.flatnonzero(self.neighbourhood.within(t.indices, hops))
        inside = np.zeros(self.a.shape[1], dtype=bool)
        inside[cols] = True
        sub = self.a[:, cols]
        rows = np.flatnonzero(sub.getnnz(axis=1) > 0)
        fixed = self.a[rows][:, ~inside] @ self.x0[~inside]
        rhs = self.b[rows] - fixed
        a = sp.vstack([sub[rows], t[:, cols]], format="csr")
        eq = self.equal[rows]
        goal = at_least - self.offset[j] - float((t[:, ~inside] @ self.x0[~inside])[0])
        program = lp.Program(
            a,
            np.concatenate([rhs, [goal]]),
            np.concatenate([np.where(eq, rhs, lp.INF), [lp.INF]]),
            np.zeros(len(cols)),
            np.full(len(cols), lp.INF),
        )
        found = program.optimise(np.zeros(len(cols)))
        if found.x is None:
            return None
        x = self.x0.copy()
        x[cols] = found.x
        return x


def _push(
    sub: _Problem, active: IntArray, sign: FloatArray, base: FloatArray, gap: FloatArray
) -> FloatArray | None:
    """One certification programme: move every ``active`` target beyond ``base`` in its
    direction ``sign`` by as much of its ``gap`` as the others allow (a target that falls
    back counts against the objective); returns the table found."""
    nv = len(sub.hidden)
    k = len(active)
    # s_j <= sign_j (t_j x + o_j - base_j)  <=>  sign_j t_j x - s_j >= sign_j (base_j - o_j)
    link = sp.hstack([sp.diags(sign) @ sub.targets[active], -sp.identity(k)], format="csr")
    program = lp.program(
        a_eq=sp.hstack([sub.a_eq, sp.csr_matrix((sub.a_eq.shape[0], k))], format="csr"),
        b_eq=sub.b_eq,
        a_ge=sp.vstack(
            [sp.hstack([sub.a_ge, sp.csr_matrix((sub.a_ge.shape[0], k))]), link], format="csr"
        ),
        b_ge=np.concatenate([sub.b_ge, sign * (base - sub.offset[active])]),
        columns=nv + k,
        col_lower=np.concatenate([np.zeros(nv), np.full(k, -lp.INF)]),
        col_upper=np.concatenate([np.full(nv, lp.INF), gap]),
    )
    solution = program.optimise(np.concatenate([np.zeros(nv), np.ones(k)]), maximise=True)
    return None if solution.x is None else solution.x[:nv]


def _settle(
    sub: _Problem,
    members: IntArray,
    lo: FloatArray,
    hi: FloatArray,
    status: npt.NDArray[np.int8],
    how: npt.NDArray[np.int8],
    level: float,
    exact: bool,
    budget: Budget,
    floor: BoolArray,
    x0: FloatArray,
    intervals: bool = True,
) -> None:
    """Stage 2 on one connected part (see the module docstring); updates the arrays.
    ``x0``: the true values of the part's hidden counts.
    ``floor``: per target, a count of a clean leaf whose aggregate has another clean leaf
    (its form is the aggregate's, its lowest value 0 whatever the aggregate's lowest).
    When ``budget`` is spent it stops, leaving the counts it did not reach as they are
    (unresolved unless already certified)."""

    def late() -> bool:
        return budget.exhausted

    k = len(members)
    nv = len(sub.hidden)

    def see(x: FloatArray) -> None:
        v = sub.targets @ x + sub.offset
        lo[members] = np.minimum(lo[members], v)
        hi[members] = np.maximum(hi[members], v)

    def short() -> IntArray:
        return np.flatnonzero((hi[members] - lo[members] < level - TOLERANCE) | exact)

    if not exact and nv >= PUSH_FROM:
        rng = np.random.default_rng(0)
        for _ in range(PUSH_ROUNDS):
            left = short()
            if len(left) == 0 or late():
                break
            i = members[left]
            # Small counts go up; others either way, at random (two hidden counts of one sum
            # then tend to move apart, which certifies both in one programme).
            sign = np.where((hi[i] < level) | (rng.random(len(left)) < 0.5), 1.0, -1.0)
            base = np.where(sign > 0, hi[i], lo[i])
            gap = level - (hi[i] - lo[i])
            budget.spend(nv + len(left))
            x = _push(sub, left, sign, base, gap)
            if x is None:
                break
            see(x)
            if _DEBUG:
                print(f"  push: {len(left)} -> {len(short())} short (part of {nv})", flush=True)
            if len(left) - len(short()) < max(1, len(left) // 10):
                break
    # The targets are rows of the programme too, free until one is asked about.
    a = sp.vstack([sub.a_eq, sub.a_ge, sub.targets], format="csr")
    row_lo = np.concatenate([sub.b_eq, sub.b_ge, np.full(k, -lp.INF)])
    row_hi = np.concatenate([sub.b_eq, np.full(sub.a_ge.shape[0], lp.INF), np.full(k, lp.INF)])
    program = lp.Program(a, row_lo, row_hi, np.zeros(nv), np.full(nv, lp.INF), presolve=False)
    first = sub.a_eq.shape[0] + sub.a_ge.shape[0]
    local = _Local(sub, x0) if not exact and nv >= LOCAL_FROM else None
    tally: dict[str, float] = collections.defaultdict(float)
    for j, i in enumerate(members):
        if not exact and hi[i] - lo[i] >= level - TOLERANCE:
            if status[i] != CERTIFIED:
                status[i] = CERTIFIED
                how[i] = 1
            continue
        if late():
            continue
        row = first + j
        how[i] = 1
        if local is not None:
            for hops in LOCAL_HOPS:
                budget.spend(min(nv, 200 * hops))
                began = time.perf_counter()
                x = local.table(j, lo[i] + level, hops)
                tally[f"local {hops}"] += time.perf_counter() - began
                if x is not None:
                    see(x)
                    break
            if hi[i] - lo[i] >= level - TOLERANCE:
                status[i] = CERTIFIED
                continue
        if not exact:
            # Is there a table in which the count reaches low + level?
            x = _reaching(program, row, lo[i] + level - sub.offset[j], lp.INF, budget, nv)
            if x is not None:
                see(x)
                status[i] = CERTIFIED
                tally["certified by the part"] += 1
                continue
            if not intervals:
                # Exposed or not, without the exact interval: every count is at least 0, so
                # when 0 was seen the minimum is known; otherwise the maximum and one check
                # below it settle it (one programme fewer than the exact interval).
                if lo[i] > TOLERANCE:
                    c = np.asarray(sub.targets[j].todense()).ravel()
                    budget.spend(nv)
                    top = program.optimise(c, maximise=True)
                    if top.outcome is lp.Outcome.INFEASIBLE:
                        program.reset()  # as below: a stale basis can mislead the warm start
                        top = program.optimise(c, maximise=True)
                    if top.x is not None:
                        see(top.x)
                        hi[i] = top.objective + sub.offset[j]
                        down = hi[i] - level - sub.offset[j]
                        if hi[i] - level >= -TOLERANCE:
                            x = _reaching(program, row, -lp.INF, down, budget, nv)
                            if x is not None:
                                see(x)
                    elif top.outcome is lp.Outcome.UNBOUNDED:
                        hi[i] = lp.INF
                    else:
                        status[i] = UNRESOLVED
                        continue
                status[i] = CERTIFIED if hi[i] - lo[i] >= level - TOLERANCE else EXPOSED
                tally["settled without interval"] += 1
                continue
        tally["exact"] += 1
        # Exposed (or exact asked): the exact interval.
        c = np.asarray(sub.targets[j].todense()).ravel()
        for maximise in (True, False):
            budget.spend(nv)
            solution = program.optimise(c, maximise=maximise)
            if solution.outcome is lp.Outcome.INFEASIBLE:
                # A basis left by an infeasible check can mislead the warm start: once more
                # from scratch before believing it.
                program.reset()
                solution = program.optimise(c, maximise=maximise)
            if solution.outcome is lp.Outcome.INFEASIBLE:
                # The true table is feasible, so this is the solver's numerics: the count
                # stays unresolved (never protected) and the caller hides more.
                break
            if solution.x is None:
                if maximise:
                    hi[i] = lp.INF
                else:
                    lo[i] = -lp.INF
            else:
                see(solution.x)
                bound = solution.objective + sub.offset[j]
                if maximise:
                    hi[i] = bound
                else:
                    lo[i] = min(bound, 0.0) if floor[i] else bound
        else:
            status[i] = CERTIFIED if hi[i] - lo[i] >= level - TOLERANCE else EXPOSED
            continue
        status[i] = UNRESOLVED
    if _DEBUG and nv >= 500:
        print("   ", {k: round(v, 2) for k, v in tally.items()}, flush=True)


def _reaching(
    program: lp.Program, row: int, low: float, high: float, budget: Budget, columns: int
) -> FloatArray | None:
    """A table that puts the target of ``row`` within [``low``, ``high``] (None: none)."""
    program.set_row_bounds(row, low, high)
    budget.spend(columns)
    found = program.optimise(np.zeros(columns))
    program.set_row_bounds(row, -lp.INF, lp.INF)
    return found.x
