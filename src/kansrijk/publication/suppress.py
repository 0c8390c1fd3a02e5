"""Primary and secondary suppression on a compiled table, until the attacker's audit passes.

1. **Primary**: every cell with a numerator, complement or denominator below the threshold
   is hidden; its small counts are the sensitive counts the audit examines.
2. **Local rules** (`secondary.apply_local_rules`): in every group whose sum is known, never
   one hidden cell, and the hidden cells together at least the protection level; cheapest
   cells first (`TableStructure.cost`). A municipality (a leaf of the merge hierarchy) whose
   counts of one scope are mostly hidden (at least `WITHHOLD_SHARE`) is *withheld* in that
   scope: all of them hidden. Its few published figures would cost little to lose, and a
   clean leaf is settled by the audit's certificates (`collapse`) instead of thousands of
   programmes over parts that span provinces, periods and breakdowns.
3. **Audit** (`attack.attack`) of every sensitive count not yet certified (hiding more only
   widens intervals, so a certified count stays certified). *Exposed* counts (their attacker
   interval narrower than the level) are repaired by the cheapest change of published counts
   that widens them: first one linear programme per municipality and scope
   (`repair.repair_many`); the counts it leaves are audited again and then repaired one by
   one (`repair.repair`). A count the audit could not settle
   (a connected part too large for its programmes) gets its whole sub-table hidden (every
   period and breakdown of its measure group at its municipality, and at the siblings whose
   counts give it the level), which the audit's certificates then settle.
4. Repeat from 2 until every sensitive count is protected. Hiding more only widens intervals,
   so the loop ends; the last audit is the guarantee.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from kansrijk.publication.attack import (
    _DEBUG,
    CERTIFIED,
    COMPLEMENT,
    DENOMINATOR,
    NUMERATOR,
    Attack,
    Budget,
    Targets,
    attack,
    forms,
)
from kansrijk.publication.collapse import collapse, name_components, scopes
from kansrijk.publication.policy import DisclosurePolicy
from kansrijk.publication.relations import BoolArray, IntArray, Neighbourhood, Relations
from kansrijk.publication.repair import repair, repair_many
from kansrijk.publication.secondary import apply_local_rules, cell_counts

#: Rounds of audit and repair at most before giving up (an error, never a silent pass).
MAX_ROUNDS = 30
#: Rounds with least-cost repairs; later rounds hide every published neighbour of a count
#: still exposed (coarser, but each round hides more, so the loop ends).
REPAIR_ROUNDS = 6

PRIMARY_DENOMINATOR, PRIMARY_NUMERATOR, PRIMARY_COMPLEMENT = 1, 2, 3
SECONDARY_LOCAL, SECONDARY_REPAIR, SECONDARY_SLICE, SECONDARY_WITHHELD = 4, 5, 6, 7
#: Batches of exposed counts smaller than this are repaired one by one.
BATCH_LEAST = 2
#: Work units a repair costs (a few programmes over a neighbourhood; ~0.3 s on the demo run).
REPAIR_WORK = 40.0
#: A leaf's scope with at least this share of its cells hidden is hidden whole (withheld).
WITHHOLD_SHARE = 0.5
REASONS = {
    0: None,
    PRIMARY_DENOMINATOR: "primary: denominator below the threshold",
    PRIMARY_NUMERATOR: "primary: numerator below the threshold",
    PRIMARY_COMPLEMENT: "primary: complement below the threshold",
    SECONDARY_LOCAL: "secondary: a group sum would give it away",
    SECONDARY_REPAIR: "secondary: linear programming narrowed a sensitive count",
    SECONDARY_SLICE: "secondary: sub-table hidden so the audit can settle a count",
    SECONDARY_WITHHELD: "secondary: municipality withheld in this measure group (mostly hidden)",
}


@dataclass
class Suppression:
    """The outcome on cells: why each is hidden (0: published), and the final audit."""

    reason: npt.NDArray[np.int8]
    audit: Attack
    rounds: int
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def hidden(self) -> BoolArray:
        return self.reason > 0


def primary(relations: Relations, policy: DisclosurePolicy) -> tuple[npt.NDArray[np.int8], Targets]:
    """Per cell its primary reason (0: none), and the sensitive counts."""
    n, c = cell_counts(relations)
    value = np.nan_to_num(relations.value)
    has_den = relations.cell_den >= 0
    d = np.where(has_den, value[np.maximum(relations.cell_den, 0)], np.inf)
    t = policy.threshold
    reason = np.select(
        [has_den & (d < t), n < t, c < t],
        [PRIMARY_DENOMINATOR, PRIMARY_NUMERATOR, PRIMARY_COMPLEMENT],
        default=0,
    ).astype(np.int8)
    has_num = relations.cell_num >= 0
    small_n = has_num & (n < t)
    small_c = has_num & has_den & (c < t)
    only_den = ~has_num & has_den & (d < t)
    cells = np.concatenate(
        [np.flatnonzero(small_n), np.flatnonzero(small_c), np.flatnonzero(only_den)]
    )
    kinds = np.concatenate(
        [
            np.full(int(small_n.sum()), NUMERATOR, np.int8),
            np.full(int(small_c.sum()), COMPLEMENT, np.int8),
            np.full(int(only_den.sum()), DENOMINATOR, np.int8),
        ]
    )
    return reason, Targets(cells, kinds)


def suppress(
    relations: Relations,
    policy: DisclosurePolicy,
    *,
    budget: float | None = None,
    withhold: bool = True,
) -> Suppression:
    """Hide what must be hidden (see the module docstring).

    ``budget``: work units for the audit and repair rounds at most (`attack.Budget`; None:
    until settled). A count
    the audit has certified stays certified when more cells are hidden (intervals only
    widen), so certificates of earlier rounds are kept; what no round settled before the
    budget ran out is reported *unresolved*, never protected. ``withhold``: hide a
    municipality's mostly hidden scope whole (step 2); without it a quick run publishes more
    and settles less.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    work = Budget(budget)

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    reason, targets = primary(relations, policy)
    level = policy.level
    hidden = reason > 0
    lap("primary")
    if len(targets) == 0:
        empty = attack(relations, hidden, targets, level)
        return Suppression(reason, empty, 0, timings)
    neighbourhood: Neighbourhood | None = None
    groups = _name_groups(relations)
    leaf_scope = _leaf_scopes(relations)
    certified = np.zeros(len(targets), dtype=bool)
    audit: Attack | None = None
    batched = False
    for rounds in range(1, MAX_ROUNDS + 1):
        widened = apply_local_rules(relations, hidden, level)
        reason[widened & ~hidden] = SECONDARY_LOCAL
        hidden = widened
        held = _withheld(leaf_scope, hidden, WITHHOLD_SHARE if withhold else np.inf)
        if held.any():
            reason[held] = SECONDARY_WITHHELD
            hidden = hidden | held
            widened = apply_local_rules(relations, hidden, level)
            reason[widened & ~hidden] = SECONDARY_LOCAL
            hidden = widened
        lap("local rules")
        audit = _audit(relations, hidden, targets, level, work, audit if rounds > 1 else None)
        lap("audit")
        certified |= audit.protected
        audit = _with_certified(audit, certified)
        exposed = np.flatnonzero(audit.exposed)
        unresolved = np.flatnonzero(audit.unresolved)
        if len(exposed) == 0 and len(unresolved) == 0:
            return Suppression(reason, audit, rounds, timings)
        out_of_time = work.exhausted
        if len(exposed) == 0 and out_of_time:
            return Suppression(reason, audit, rounds, timings)
        if len(exposed):
            if neighbourhood is None:
                neighbourhood = Neighbourhood.of(relations)
            exposed = _one_per_form(relations, hidden, targets, exposed)
            if _DEBUG:
                _print_exposed(relations, targets.cell[exposed])
            if rounds <= REPAIR_ROUNDS and not work.exhausted and not batched:
                # One programme per municipality and scope first (a few counts, a small
                # neighbourhood): minutes of single repairs at scale 1.0 become seconds. What
                # it cannot repair is repaired one by one, after the next audit: the cells a
                # batch hid protect most of the counts left (at scale 1.0, 58 of 70 single
                # repairs afterwards hid nothing, at 2.5 s each).
                before = int(np.count_nonzero(hidden))
                exposed = _repair_batches(
                    relations, hidden, reason, neighbourhood, targets, audit, exposed, level
                )
                work.spend(REPAIR_WORK)
                if np.count_nonzero(hidden) > before:
                    batched = True
                    lap("repair")
                    continue
            batched = False
            # One repair per municipality and scope a round: the cells it hides mostly
            # protect its other exposed counts too (at scale 1.0, 15 of 17 single repairs
            # after the first of their municipality hid nothing, at up to 5 s each); the next
            # audit says which are left.
            batch_key = _batch_keys(relations, targets, exposed)
            repaired: set[int] = set()
            for n, i in enumerate(exposed):
                if batch_key[n] in repaired:
                    continue
                if work.exhausted or rounds > REPAIR_ROUNDS:
                    # Out of work or rounds: per relation that ties an exposed count left,
                    # hide its cheapest published cell (coarse, but quick; the next audit
                    # checks).
                    near = _neighbours(relations, hidden, targets.cell[exposed[n:]])
                    if not near.any():
                        # Nothing published is left around them: report (with the exact
                        # intervals of the exposed counts), never loop.
                        final = attack(relations, hidden, targets, level, budget=work)
                        final = _with_certified(final, certified | final.protected)
                        return Suppression(reason, final, rounds, timings)
                    reason[near] = SECONDARY_REPAIR
                    hidden |= near
                    break
                cell = int(targets.cell[i])
                work.spend(REPAIR_WORK)
                new = repair(
                    relations,
                    hidden,
                    neighbourhood,
                    cell,
                    int(targets.kind[i]),
                    float(audit.low[i]),
                    float(audit.high[i]),
                    level,
                )
                reason[new] = SECONDARY_REPAIR
                hidden[new] = True
                if len(new):
                    repaired.add(int(batch_key[n]))
            lap("repair")
        elif len(unresolved):
            if budget is not None:
                # Hiding whole sub-tables costs much information; with a budget, what the
                # audit could not settle in time is reported, not hidden.
                return Suppression(reason, audit, rounds, timings)
            sliced = _slices(relations, hidden, targets.cell[unresolved], groups, level)
            if not sliced.any():
                return Suppression(reason, audit, rounds, timings)
            reason[sliced & ~hidden] = SECONDARY_SLICE
            hidden |= sliced
            lap("hide sub-tables")
    raise RuntimeError(f"disclosure control did not settle in {MAX_ROUNDS} rounds")


def _audit(
    relations: Relations,
    hidden: BoolArray,
    targets: Targets,
    level: float,
    work: Budget,
    previous: Attack | None,
) -> Attack:
    """The attacker's audit of the counts an earlier round (``previous``) did not certify; a
    certified count keeps what that round found, since hiding more only widens intervals.
    At scale 1.0 a round's audit of every count took 60 s, of the open ones a few."""
    if previous is None:
        return attack(relations, hidden, targets, level, budget=work, intervals=False)
    open_ = np.flatnonzero(previous.status != CERTIFIED)
    if len(open_) == 0:
        return previous
    found = attack(
        relations,
        hidden,
        Targets(targets.cell[open_], targets.kind[open_]),
        level,
        budget=work,
        intervals=False,
    )
    arrays = {}
    for name in ("low", "high", "status", "how"):
        merged = getattr(previous, name).copy()
        merged[open_] = getattr(found, name)
        arrays[name] = merged
    return replace(previous, **arrays)


def _repair_batches(
    relations: Relations,
    hidden: BoolArray,
    reason: npt.NDArray[np.int8],
    neighbourhood: Neighbourhood,
    targets: Targets,
    audit: Attack,
    exposed: IntArray,
    level: float,
) -> IntArray:
    """Repair the ``exposed`` counts with one programme per municipality and scope
    (`repair.repair_many`; national figures stay fixed there), hiding what it changes
    (updates ``hidden`` and ``reason``); returns those left to repair one by one: batches
    of fewer than ``BATCH_LEAST`` counts and batches with no table near their counts. Per
    scope alone the programmes were large (20-60 s each at scale 1.0)."""
    # One batch per scope and municipality (counts off the leaves: per scope): a batch's
    # neighbourhood stays small, so its programme stays quick.
    batch_of = _batch_keys(relations, targets, exposed)
    left: list[IntArray] = []
    todo = [exposed[batch_of == b] for b in np.unique(batch_of)][::-1]
    while todo:
        batch = todo.pop()
        if len(batch) < BATCH_LEAST:
            left.append(batch)
            continue
        new = repair_many(
            relations,
            hidden,
            neighbourhood,
            targets.cell[batch],
            targets.kind[batch],
            audit.low[batch],
            audit.high[batch],
            level,
        )
        if new is None:
            # No one table for all of them: most are protected by what the other batches
            # hide (at scale 1.0 all 70 such counts were), so the next audit decides which
            # need a repair of their own. Halving the batch instead cost 60 programmes.
            left.append(batch)
            continue
        reason[new] = SECONDARY_REPAIR
        hidden[new] = True
        if _DEBUG:
            print(f"  batch of {len(batch)} repaired: {len(new)} cells hidden", flush=True)
    if _DEBUG:
        print(
            f"  batches leave {sum(len(x) for x in left)} of {len(exposed)} "
            f"({len(np.unique(batch_of))} batches)",
            flush=True,
        )
    return np.sort(np.concatenate(left)) if left else exposed[:0]


def _batch_keys(relations: Relations, targets: Targets, exposed: IntArray) -> IntArray:
    """Per exposed count an id of its scope and municipality (counts off the leaves: of its
    scope)."""
    plus, _ = forms(relations, targets.cell[exposed], targets.kind[exposed])
    scope = scopes(relations)[relations.q_name[plus]]
    key = np.stack([scope, relations.q_leaf[plus]], axis=1)
    if len(key) == 0:
        return np.zeros(0, dtype=np.int64)
    _, of = np.unique(key, axis=0, return_inverse=True)
    return np.asarray(of.ravel(), dtype=np.int64)


def _leaf_scopes(relations: Relations) -> IntArray:
    """Per cell its (leaf, scope) id: the municipality it is counted at and the names tied to
    its own by shared cells and relations (`collapse.scopes`); -1 off the leaves."""
    cell_q = np.where(relations.cell_num >= 0, relations.cell_num, relations.cell_den)
    leaf = relations.q_leaf[cell_q]
    scope = scopes(relations)[relations.q_name[cell_q]]
    key = np.where(leaf >= 0, leaf * (int(scope.max(initial=0)) + 1) + scope, -1)
    out = np.full(len(key), -1, dtype=np.int64)
    on = key >= 0
    out[on] = np.unique(key[on], return_inverse=True)[1].ravel()
    return out


def _withheld(leaf_scope: IntArray, hidden: BoolArray, share: float) -> BoolArray:
    """Published cells of every (leaf, scope) with at least ``share`` of its cells hidden."""
    on = np.flatnonzero(leaf_scope >= 0)
    if len(on) == 0:
        return np.zeros(len(hidden), dtype=bool)
    total = np.bincount(leaf_scope[on])
    hid = np.bincount(leaf_scope[on], weights=hidden[on].astype(np.float64))
    mostly = hid >= share * total
    out = np.zeros(len(hidden), dtype=bool)
    out[on] = mostly[leaf_scope[on]]
    return out & ~hidden


def _one_per_form(
    relations: Relations, hidden: BoolArray, targets: Targets, exposed: IntArray
) -> IntArray:
    """One exposed count per linear form of the collapsed programme: counts of clean leaves
    that share an aggregate share its interval, so one repair serves them all."""
    col = collapse(relations, relations.hidden_quantities(hidden))
    plus, minus = forms(relations, targets.cell[exposed], targets.kind[exposed])
    key = np.stack(
        [col.column[plus], np.where(minus >= 0, col.column[np.maximum(minus, 0)], -1)], axis=1
    )
    _, first = np.unique(key, axis=0, return_index=True)
    return exposed[np.sort(first)]


def _neighbours(relations: Relations, hidden: BoolArray, cells: IntArray) -> BoolArray:
    """Per declared relation that ties a count of ``cells``, its cheapest published cell."""
    q = np.concatenate([relations.cell_num[cells], relations.cell_den[cells]])
    q = q[q >= 0]
    shown = np.flatnonzero(~hidden)
    pairs = [
        (relations.cell_num[shown], shown),
        (relations.cell_den[shown], shown),
    ]
    qs = np.concatenate([p[0] for p in pairs])
    cs = np.concatenate([p[1] for p in pairs])
    keep = qs >= 0
    shows = sp.csr_matrix(
        (np.ones(int(keep.sum())), (qs[keep], cs[keep])),
        shape=(relations.quantities, relations.cells),
    )
    out = np.zeros(relations.cells, dtype=bool)
    for matrix in (relations.eq, relations.ineq):
        if not matrix.shape[0]:
            continue
        rows = np.flatnonzero(matrix[:, q].getnnz(axis=1) > 0)
        candidates = (abs(matrix[rows]) @ shows).tocsr()
        for r in range(candidates.shape[0]):
            found = candidates.indices[candidates.indptr[r] : candidates.indptr[r + 1]]
            if len(found):
                out[found[np.argmin(relations.cell_cost[found])]] = True
    return out & ~hidden


def _with_certified(audit: Attack, certified: BoolArray) -> Attack:
    """The audit with the counts certified by earlier rounds marked protected."""
    status = np.where(certified, np.int8(CERTIFIED), audit.status).astype(np.int8)
    return replace(audit, status=status)


def _name_groups(relations: Relations) -> IntArray:
    """Per name its group: names tied by a partition, subset or union share one."""
    return name_components(relations, shared_cells=False)


def _slices(
    relations: Relations,
    hidden: BoolArray,
    cells: IntArray,
    groups: IntArray,
    level: float,
) -> BoolArray:
    """Cells to hide so that merges can settle the counts of ``cells``: every cell of the
    count's name group at its leaf, and at the heaviest siblings until their counts reach
    the level. Cells off the merge hierarchy's leaves: the cell's whole measure group at its
    coordinate ... (not applicable: hide nothing more; the caller will fail)."""
    q = np.where(
        relations.cell_num[cells] >= 0, relations.cell_num[cells], relations.cell_den[cells]
    )
    leaf = relations.q_leaf[q]
    group = groups[relations.q_name[q]]
    cell_q = np.where(relations.cell_num >= 0, relations.cell_num, relations.cell_den)
    cell_leaf = relations.q_leaf[cell_q]
    cell_group = groups[relations.q_name[cell_q]]
    cell_sibs = np.where(cell_leaf >= 0, relations.leaf_group[np.maximum(cell_leaf, 0)], -1)
    value = np.nan_to_num(relations.value)
    n_cells = relations.cells
    out = np.zeros(n_cells, dtype=bool)
    wanted: set[tuple[int, int]] = set()
    for lf, g in zip(leaf.tolist(), group.tolist(), strict=True):
        if lf >= 0:
            wanted.add((lf, g))
    if not wanted:
        return out
    # Mass per (leaf, group): the largest count of the group's cells at that leaf.
    mass: dict[tuple[int, int], float] = {}
    for c in np.flatnonzero(cell_leaf >= 0):
        key = (int(cell_leaf[c]), int(cell_group[c]))
        mass[key] = max(mass.get(key, 0.0), float(value[cell_q[c]]))
    take: set[tuple[int, int]] = set()
    for lf, g in wanted:
        take.add((lf, g))
        sibs = relations.leaf_group[lf]
        candidates = sorted(
            (
                (-m, other)
                for (other, gg), m in mass.items()
                if gg == g and other != lf and relations.leaf_group[other] == sibs
            )
        )
        total = 0.0
        for neg, other in candidates:
            take.add((other, g))
            total += -neg
            if total >= level:
                break
    keys = cell_leaf.astype(np.int64) * (int(groups.max()) + 1) + cell_group
    chosen = np.array([lf * (int(groups.max()) + 1) + g for lf, g in take], dtype=np.int64)
    out = (cell_leaf >= 0) & np.isin(keys, chosen)
    del cell_sibs
    return out & ~hidden


def _print_exposed(relations: Relations, cells: IntArray) -> None:
    """How many exposed forms per quantity name (``KANSRIJK_DEBUG_ATTACK``)."""
    q = np.where(
        relations.cell_num[cells] >= 0, relations.cell_num[cells], relations.cell_den[cells]
    )
    names, counts = np.unique(np.asarray(relations.names)[relations.q_name[q]], return_counts=True)
    print("exposed forms:", dict(zip(names.tolist(), counts.tolist(), strict=True)), flush=True)
