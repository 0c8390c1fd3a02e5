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

While a group breaks a rule, the cheapest published member that repairs it is hidden (the one
with the largest capacity when none repairs it alone), or the parent when no member is left.
All groups are handled at once per round (vectorised); rounds repeat until no group breaks a
rule, because hiding a cell for one group can break another. These rules are necessary, not
sufficient: the attacker's audit (`attack`) finds what they miss and `repair` fixes it.
"""

from __future__ import annotations

import numpy as np

from kansrijk.publication.relations import BoolArray, FloatArray, Relations


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
        if not bad.any():
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
        new = np.concatenate([chosen, np.where(first_ok, p1, p2)])
        if len(new) == 0 or hidden[new].all():
            # Nothing left to hide in the bad groups (every cell already hidden): stop.
            return hidden
        hidden[new] = True
    raise RuntimeError("secondary suppression did not settle")
