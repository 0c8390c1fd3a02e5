"""The fast local rules of secondary suppression, applied to every group at once.

A group is a parent cell with the children that add up to it, the members of a partition, or
a union cell with its parts where the parts overlap by less than the protection level (the
union less the other parts then bounds a hidden part from below, within the level of its
value, as a sum would pin it).
Within one group whose sum is known (the parent published, or a partition member published):

* no group may have exactly one hidden cell (it would be the sum minus the others);
* the hidden members together must count at least the protection level, in numerators and in
  complements: with the sum known, each hidden member lies between 0 and the hidden members'
  total, so a smaller total pins them down.

Sliding windows (pooled periods that overlap, e.g. 2015-2019, 2016-2020, ...) need a rule of
their own: two published windows of a run of consecutive published windows fix the difference
of two periods a window length apart, so the run splits its periods into classes (period
modulo the length), each moving by one common shift. A hidden period in a class with a known
member is then known; a class wholly hidden can shift up to its smallest member down, and the
first window fixes the shifts' sum, so every hidden period of the run lies in an interval as
wide as the sum of the wholly hidden classes' smallest members (0 when only one class is
wholly hidden). Where that is below the protection level, a published window of the run is
hidden, the cheapest (nearest the middle among equals), which splits the run.

While a group breaks a rule, the cheapest published member that repairs it is hidden (the one
with the largest capacity when none repairs it alone), or the parent when no member is left.
All groups are handled at once per round (vectorised); rounds repeat until no group breaks a
rule, because hiding a cell for one group can break another. These rules are necessary, not
sufficient: the attacker's audit (`attack`) finds what they miss and `repair` fixes it.
"""

from __future__ import annotations

import numpy as np

from kansrijk.publication.relations import BoolArray, FloatArray, IntArray, Relations


def cell_counts(relations: Relations) -> tuple[FloatArray, FloatArray]:
    """Per cell its numerator and complement (infinite where the cell has no such count)."""
    value = np.nan_to_num(relations.value)
    n = np.where(relations.cell_num >= 0, value[np.maximum(relations.cell_num, 0)], np.inf)
    d = np.where(relations.cell_den >= 0, value[np.maximum(relations.cell_den, 0)], np.inf)
    c = np.where((relations.cell_num >= 0) & (relations.cell_den >= 0), d - n, np.inf)
    n = np.where(relations.cell_num >= 0, n, d)  # a denominator-only cell: its count
    return n, c


def apply_local_rules(relations: Relations, hidden: BoolArray, level: float) -> BoolArray:
    """``hidden`` plus the cells the local rules add (``hidden`` itself is not changed)."""
    hidden = hidden.copy()
    if relations.groups == 0:
        return hidden
    n, c = cell_counts(relations)
    n_cap = np.minimum(n, 1e12)
    c_cap = np.minimum(c, 1e12)
    cost = relations.cell_cost
    group = relations.member_group
    member = relations.member_cell
    parent = relations.group_parent
    parent2 = relations.group_parent2
    has_parent = parent >= 0
    has_parent2 = parent2 >= 0
    difference = relations.group_difference
    groups = relations.groups
    tight = relations.group_slack < level
    for _ in range(10_000):
        mh = hidden[member]
        hidden_members = np.bincount(group, weights=mh, minlength=groups)
        members = np.bincount(group, minlength=groups)
        parent_hidden = np.where(has_parent, hidden[np.maximum(parent, 0)], False)
        parent2_hidden = np.where(has_parent2, hidden[np.maximum(parent2, 0)], False)
        # The sum of a group is known when its parent is published (a partition: when one
        # member is published, its shared denominator is known).
        known_sum = np.where(has_parent, ~parent_hidden, hidden_members < members)
        sum_n = np.bincount(group, weights=np.where(mh, n_cap[member], 0.0), minlength=groups)
        sum_c = np.bincount(group, weights=np.where(mh, c_cap[member], 0.0), minlength=groups)
        total_hidden = hidden_members + parent_hidden + parent2_hidden
        single = total_hidden == 1
        # A difference group: the two members move together, so only the single-cell rule.
        short = (
            ~difference & known_sum & (hidden_members >= 1) & ((sum_n < level) | (sum_c < level))
        )
        # A union whose parts overlap by the level or more pins no part: not a group here.
        bad = (single | short) & tight
        windows = _window_fixes(relations, hidden, n_cap, c_cap, level)
        if not bad.any() and len(windows) == 0:
            return hidden
        need_n = np.where(short, level - sum_n, 0.0)
        need_c = np.where(short, level - sum_c, 0.0)
        # Candidates: published members of bad groups.
        cand = bad[group] & ~mh
        g = group[cand]
        m = member[cand]
        enough = (n_cap[m] >= need_n[g]) & (c_cap[m] >= need_c[g])
        capacity = np.minimum(
            n_cap[m] / np.maximum(need_n[g], 1.0), c_cap[m] / np.maximum(need_c[g], 1.0)
        )
        # Per group: first the members that repair it alone, cheapest first; else the largest.
        order = np.lexsort((np.where(enough, cost[m], -capacity), ~enough, g))
        g_sorted = g[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = g_sorted[1:] != g_sorted[:-1]
        chosen = m[order][first]
        fixed = np.zeros(groups, dtype=bool)
        fixed[g_sorted[first]] = True
        # Groups without a published member left: hide a parent (the cheaper published one).
        orphans = bad & ~fixed & has_parent & ~(parent_hidden & (parent2_hidden | ~has_parent2))
        p1 = parent[orphans]
        p2 = np.where(has_parent2[orphans], parent2[orphans], p1)
        first_ok = ~hidden[p1] & (hidden[p2] | (cost[p1] <= cost[p2]))
        new = np.concatenate([chosen, np.where(first_ok, p1, p2), windows])
        if len(new) == 0 or hidden[new].all():
            # Nothing left to hide in the bad groups (every cell already hidden): stop.
            return hidden
        hidden[new] = True
    raise RuntimeError("secondary suppression did not settle")


def _window_fixes(
    relations: Relations, hidden: BoolArray, n: FloatArray, c: FloatArray, level: float
) -> IntArray:
    """Per chain of sliding windows that pins a hidden period: one published window to hide.

    Two published neighbouring windows t and t + 1 tie periods t and t + L (their difference
    is known): tied periods form *components* that move by one common shift, down at most
    their smallest member; a component with a published member does not move. Each run of
    consecutive published windows fixes the sum of its first window's components' shifts. So
    a hidden period moves at most its component's smallest member plus, in every run it is
    in, the smallest members of the run's other moving components (0 when its component is
    the only one moving): at most the least, over its runs, of the sum of the run's moving
    components' smallest members. That bound is never below the attacker's interval, so a
    window is hidden only where the chain truly pins a count; what the bound misses (other
    relations narrowing the same counts), the audit finds.
    """
    out: list[IntArray] = []
    for size in np.unique(relations.window_length):
        length = int(size)
        sel = relations.window_length == size
        pools = relations.window_pool[sel]
        years = relations.window_year[sel]
        chains, k = pools.shape
        width = years.shape[1]
        published = (pools >= 0) & ~hidden[np.maximum(pools, 0)]
        # A period is hidden or known (published, or absent: a known zero).
        year_hidden = (years >= 0) & hidden[np.maximum(years, 0)]
        if not year_hidden.any():
            continue
        big = np.finfo(np.float64).max
        # Components: period t + length joins t's when windows t and t + 1 are both published.
        comp = np.broadcast_to(np.arange(width), (chains, width)).copy()
        for t in range(min(k - 1, width - length)):
            tied = published[:, t] & published[:, t + 1]
            comp[tied, t + length] = comp[tied, t]
        flat = (np.arange(chains)[:, None] * width + comp).ravel()
        fixed = np.zeros(chains * width, dtype=bool)
        fixed[flat[~year_hidden.ravel()]] = True
        smallest = []
        for values in (n, c):
            v = np.where(year_hidden, values[np.maximum(years, 0)], big).ravel()
            m = np.full(chains * width, big)
            np.minimum.at(m, flat, v)
            smallest.append(np.where(fixed, 0.0, m).reshape(chains, width))
        fixed2 = fixed.reshape(chains, width)
        rows = np.arange(chains)[:, None]
        comp_fixed = fixed2[rows, comp]  # per period: its component does not move
        # Per period: the tightest bound of the runs it is in (inf: in no run).
        bound_n = np.full((chains, width), np.inf)
        bound_c = np.full((chains, width), np.inf)
        for a in range(k):
            for b in range(a, k):
                run = published[:, a : b + 1].all(axis=1)
                if a > 0:
                    run &= ~published[:, a - 1]
                if b < k - 1:
                    run &= ~published[:, b + 1]
                if not run.any():
                    continue
                # The run's components: those of its first window's periods.
                first = np.arange(a, a + length)
                moving = ~fixed2[rows, comp[:, first]]
                alone = moving.sum(axis=1) <= 1
                total_n = np.where(moving, smallest[0][rows, comp[:, first]], 0.0).sum(axis=1)
                total_c = np.where(moving, smallest[1][rows, comp[:, first]], 0.0).sum(axis=1)
                span = np.arange(a, min(b + length, width))
                for bound, total in ((bound_n, total_n), (bound_c, total_c)):
                    here = np.where(alone, 0.0, total)[:, None]
                    here = np.broadcast_to(here, (chains, len(span)))
                    current = bound[:, span]
                    bound[:, span] = np.where(run[:, None], np.minimum(current, here), current)
        too_narrow = year_hidden & (comp_fixed | (bound_n < level) | (bound_c < level))
        bad = np.flatnonzero(too_narrow.any(axis=1))
        if len(bad) == 0:
            continue
        # One window per chain and round: the cheapest published one, nearest the middle
        # of the chain among equals (it splits the chain most evenly).
        cost = np.where(published[bad], relations.cell_cost[np.maximum(pools[bad], 0)], np.inf)
        slots = np.arange(k)
        key = cost * (1.0 + 1e-6 * np.abs(slots - (k - 1) / 2.0))
        pick = np.argmin(key, axis=1)
        ok = np.isfinite(cost[np.arange(len(bad)), pick])
        out.append(pools[bad[ok], pick[ok]])
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)
