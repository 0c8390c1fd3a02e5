"""Collapse: leaves whose whole sub-table is hidden count as one for the attacker.

Take the leaves of the merge hierarchy under one parent (the municipalities of a province)
whose every count of one scope (the names tied together by shared cells, partitions, subsets
and unions) is hidden: *clean* leaves. Whatever their counts add up to, the attacker cannot
tell how the sum is spread over them: any sums that keep the scope's relations can be put
whole into one clean leaf (its relations are those of the sum) and zero into the others. So
the attacker's programme over the original counts and the programme in which the clean
leaves of each group are replaced by one *aggregate* leaf give the same interval for every
other count, and a hidden count of a clean leaf can take any value from zero (when its group
has another clean leaf to take its sub-table) up to the aggregate's largest. At small scale
most municipalities are clean; collapsing them makes the programmes several times smaller.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from kansrijk.publication.relations import BoolArray, IntArray, Relations


@dataclass(frozen=True)
class Collapse:
    """The map from quantities to the columns of the collapsed programme."""

    column: IntArray  # per quantity: its column
    columns: int
    members: IntArray  # per column: how many clean leaves it sums (0: not an aggregate)
    eq: sp.csr_matrix  # equalities over the columns (duplicates removed)
    ineq: sp.csr_matrix
    value: np.ndarray  # per column: its true value
    hidden: BoolArray  # per column: hidden


def name_components(relations: Relations, *, shared_cells: bool) -> IntArray:
    """Per name its component: names tied by a partition, subset or union (and, with
    ``shared_cells``, names counted by one cell as numerator and denominator)."""
    pairs = [
        (a, b) for rel in relations.name_relations for (a, _), (b, _) in itertools.pairwise(rel)
    ]
    pairs += list(relations.name_links)
    if shared_cells:
        both = (relations.cell_num >= 0) & (relations.cell_den >= 0)
        named = np.stack(
            [relations.q_name[relations.cell_num[both]], relations.q_name[relations.cell_den[both]]]
        )
        pairs += [tuple(p) for p in np.unique(named, axis=1).T.tolist()]
    n = len(relations.names)
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    graph = sp.csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def scopes(relations: Relations) -> IntArray:
    """Per name its scope: names linked by a shared cell, a partition, subset or union."""
    return name_components(relations, shared_cells=True)


def _dedupe(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Drop empty and repeated rows."""
    m = matrix.tocsr()
    m.sum_duplicates()
    m.eliminate_zeros()
    m.sort_indices()
    keep: list[int] = []
    seen: set[tuple[bytes, bytes]] = set()
    for i in range(m.shape[0]):
        start, end = m.indptr[i], m.indptr[i + 1]
        if start == end:
            continue
        key = (m.indices[start:end].tobytes(), m.data[start:end].tobytes())
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return m[keep]


def _shapes(relations: Relations, cq: IntArray, key: IntArray) -> IntArray:
    """Per clean quantity an id of its (leaf, scope)'s shape: the set of (name, coordinates)
    the leaf holds in that scope (an order-free hash of the set, then numbered)."""
    n_rest = int(relations.q_rest.max(initial=0)) + 1
    item = relations.q_name[cq].astype(np.uint64) * np.uint64(n_rest) + relations.q_rest[cq].astype(
        np.uint64
    )
    # splitmix64 of each item, summed per (leaf, scope): equal sets give equal sums
    z = item + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    owners, of = np.unique(key[cq], return_inverse=True)
    total = np.zeros(len(owners), dtype=np.uint64)
    np.add.at(total, of.ravel(), z)
    _, shape = np.unique(total, return_inverse=True)
    return np.asarray(shape.ravel()[of.ravel()], dtype=np.int64)


def _aggregate_rows(matrix: sp.csr_matrix, a: sp.csr_matrix) -> sp.csr_matrix:
    """The relations over the collapsed columns. An aggregate column is the *sum* of its
    clean leaves, so a relation that names several of them with coefficient c (the province
    sum names every municipality) names the aggregate with c, not c times their number:
    each coefficient is the mean of the members' coefficients, which must agree. A relation
    at one leaf (years = pool, numerator <= denominator) names one member per aggregate and
    keeps its coefficient; the copies of it at the other clean leaves are duplicates."""
    m = matrix.tocsr()
    total = (m @ a).tocsr()
    if total.nnz == 0:
        return total
    count = (abs(m).astype(bool).astype(np.float64) @ a).tocsr()
    spread = (abs(m) @ a).tocsr()
    total.sort_indices()
    count.sort_indices()
    spread.sort_indices()
    # Same pattern (a sum of nonzero coefficients of one sign is never zero): compare
    # entry by entry. Members with coefficients of both signs cannot be one aggregate.
    if not (
        np.array_equal(total.indptr, count.indptr)
        and np.array_equal(total.indices, count.indices)
        and np.allclose(np.abs(total.data), spread.data)
    ):
        raise ValueError("clean leaves of one aggregate enter a relation with different signs")
    total.data = total.data / count.data
    return total


def collapse(relations: Relations, hidden_q: BoolArray) -> Collapse:
    """Aggregate clean leaves per (parent group, scope, name, coordinate)."""
    q_leaf = relations.q_leaf
    scope = scopes(relations)[relations.q_name]
    on_leaf = q_leaf >= 0
    # clean (leaf, scope): every quantity of the scope at the leaf hidden
    key = np.where(on_leaf, q_leaf * (int(scope.max(initial=0)) + 1) + scope, -1)
    clean_key = np.ones(int(key.max(initial=-1)) + 1, dtype=bool)
    np.logical_and.at(clean_key, key[on_leaf], hidden_q[on_leaf])
    clean = on_leaf.copy()
    clean[on_leaf] = clean_key[key[on_leaf]]
    group = np.full(len(q_leaf), -1, dtype=np.int64)
    group[on_leaf] = relations.leaf_group[q_leaf[on_leaf]]
    # aggregate id per (group, name, rest) for clean quantities
    n = relations.quantities
    column = np.arange(n, dtype=np.int64)
    members = np.zeros(n, dtype=np.int64)
    if clean.any():
        cq = np.flatnonzero(clean)
        # Only leaves with the same quantities (the same relations) are interchangeable: a
        # leaf without a cell (no units: the engine emits every cell, other tables may not)
        # has fewer relations, and the sum of the aggregate could not all be put into it.
        shape = _shapes(relations, cq, key)
        agg_key = np.stack([group[cq], shape, relations.q_name[cq], relations.q_rest[cq]], axis=1)
        uniq, inverse = np.unique(agg_key, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        # the first clean quantity of each aggregate becomes its column
        first = np.full(len(uniq), n, dtype=np.int64)
        np.minimum.at(first, inverse, cq)
        column[cq] = first[inverse]
        leaves_per = np.zeros(len(uniq), dtype=np.int64)
        np.add.at(leaves_per, inverse, 1)
        members_first = np.zeros(n, dtype=np.int64)
        members_first[first] = leaves_per
        members = members_first
    # renumber the columns that are used
    used, dense = np.unique(column, return_inverse=True)
    dense = dense.ravel().astype(np.int64)
    m = len(used)
    a = sp.csr_matrix((np.ones(n), (np.arange(n), dense)), shape=(n, m))
    value = a.T @ np.nan_to_num(relations.value)
    hidden = np.zeros(m, dtype=bool)
    np.logical_or.at(hidden, dense, hidden_q)
    return Collapse(
        column=dense,
        columns=m,
        members=members[used],
        eq=_dedupe(_aggregate_rows(relations.eq, a)),
        ineq=_dedupe(_aggregate_rows(relations.ineq, a)),
        value=value,
        hidden=hidden,
    )
