"""Secondary suppression: no hidden cell may be derivable from published cells of one group.

In every additive group (parent and the children that partition it) the number of hidden cells
must be 0 or at least 2. While some group has exactly one hidden cell, hide one more there: the
published child with the smallest denominator (ties: smallest region code, breakdown value,
period; deterministic), or the parent when no other child is published. All groups are handled
at once per iteration (vectorised); iterations repeat until nothing changes, because hiding a
cell for one hierarchy can leave a single hidden cell in another.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from kansrijk.disclosure.groups import AdditiveGroups, GroupKind
from kansrijk.disclosure.policy import SECONDARY_BREAKDOWN, SECONDARY_POOLED, SECONDARY_REGION

REASONS = {
    GroupKind.BREAKDOWN: SECONDARY_BREAKDOWN,
    GroupKind.REGION: SECONDARY_REGION,
    GroupKind.POOLED: SECONDARY_POOLED,
}
_NO_KIND = np.int8(len(GroupKind))


def preference_rank(cells: pa.Table) -> npt.NDArray[np.int64]:
    """Per row its place in the order in which published children are chosen to be hidden."""
    order = pa.Table.from_arrays(
        [
            cells["denominator"],
            cells["region_code"],
            cells["breakdown_value"],
            cells["period_start"],
            cells["period_end"],
            pa.array(np.arange(cells.num_rows)),
        ],
        names=["d", "r", "b", "s", "e", "i"],
    ).sort_by([(name, "ascending") for name in ("d", "r", "b", "s", "e", "i")])
    rank = np.empty(cells.num_rows, dtype=np.int64)
    rank[order["i"].to_numpy()] = np.arange(cells.num_rows)
    return rank


def secondary_kinds(
    groups: AdditiveGroups, hidden: npt.NDArray[np.bool_], rank: npt.NDArray[np.int64]
) -> npt.NDArray[np.int8]:
    """Per row the GroupKind that made it hidden secondarily, or len(GroupKind) if none.

    ``hidden`` (primary suppression) is not modified.
    """
    hidden = hidden.copy()
    kinds = np.full(len(hidden), _NO_KIND, dtype=np.int8)
    # Child memberships sorted by group, then preference: the first eligible one is the pick.
    by_preference = np.lexsort((rank[groups.child_row], groups.child_group))
    child_group = groups.child_group[by_preference]
    child_row = groups.child_row[by_preference]
    while True:
        single = groups.hidden_per_group(hidden) == 1
        if not single.any():
            return kinds
        eligible = single[child_group] & ~hidden[child_row]
        picked_groups, first = np.unique(child_group[eligible], return_index=True)
        picked_rows = child_row[eligible][first]
        needs_parent = single.copy()
        needs_parent[picked_groups] = False
        rows = np.concatenate([picked_rows, groups.parent[needs_parent]])
        row_kinds = np.concatenate([groups.kind[picked_groups], groups.kind[needs_parent]])
        # A row chosen by several groups at once is attributed to the first kind.
        new_kinds = np.full(len(hidden), _NO_KIND, dtype=np.int8)
        np.minimum.at(new_kinds, rows, row_kinds)
        kinds = np.where(hidden, kinds, new_kinds)
        hidden[rows] = True
