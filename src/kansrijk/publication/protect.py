"""protect: the one way to turn counted cells into a table that may be published.

`protect` compiles the table's declared structure (checking every relation on the true
counts), hides what must be hidden (`suppress`) and returns a `Protected`: the public table
(hidden cells carry no numbers; the only thing said of them is that they are hidden), the
internal table (why each cell is hidden, its true counts and what the attacker can derive;
never published), the audit's summary and the information loss. Only `protect` can make a
`Protected`, and `publish` writes nothing else.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.publication.errors import StructureError
from kansrijk.publication.internal import cells_table
from kansrijk.publication.loss import information_loss
from kansrijk.publication.policy import DisclosurePolicy
from kansrijk.publication.structure import TableStructure

if TYPE_CHECKING:
    from kansrijk.publication.suppress import Suppression

#: Columns a hidden cell never carries.
NUMBERS: Final = ("numerator", "denominator", "value", "ci_low", "ci_high")
#: Columns that only the internal table has.
INTERNAL_ONLY: Final = ("suppression_reason",)

_TOKEN: Final = object()


@dataclass(frozen=True)
class Protected:
    """A table that passed disclosure control (build it with `protect` only)."""

    public: pa.Table
    internal: pa.Table
    policy: DisclosurePolicy
    audit: dict[str, object]
    loss: pa.Table
    keys: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)
    #: Every cell with its true counts and why it is hidden (``internal.cells_table``):
    #: written only on request, to the internal directory (never published).
    truth: pa.Table | None = field(default=None, repr=False, compare=False)
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError("a Protected is made by kansrijk.publication.protect only")

    @property
    def hidden(self) -> pa.ChunkedArray:
        return self.public["suppressed"]


def _check_cells(cells: pa.Table, structure: TableStructure, numbers: Sequence[str]) -> None:
    missing = sorted({*structure.keys, "numerator", "denominator"} - set(cells.column_names))
    if missing:
        raise StructureError(f"cells: missing columns {missing}")
    if "suppressed" in cells.column_names and pc.any(cells["suppressed"]).as_py():
        raise StructureError("cells: rows must come unsuppressed (suppressed = false)")
    for name in numbers:
        if name not in cells.column_names:
            raise StructureError(f"cells: missing number column {name}")


def structure_fingerprint(structure: TableStructure) -> str:
    """A hash of the declared structure (what the attacker is assumed to know)."""
    parts: dict[str, object] = {
        "keys": structure.keys,
        "measure_keys": structure.measure_keys,
        "measures": structure.measures.to_pylist(),
        "hierarchies": [
            {"name": h.name, "columns": h.columns, "edges": h.edges.to_pylist()}
            for h in structure.hierarchies
        ],
        "partitions": [(p.parts, p.whole) for p in structure.partitions],
        "subsets": [(s.part, s.whole) for s in structure.subsets],
        "unions": [(u.union, u.parts) for u in structure.unions],
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def protect(
    cells: pa.Table,
    structure: TableStructure,
    policy: DisclosurePolicy = DisclosurePolicy(),
    *,
    numbers: Sequence[str] = NUMBERS,
    budget: float | None = None,
    withhold: bool = True,
) -> Protected:
    """Hide the cells that must be hidden and prove the rest safe to publish.

    ``cells`` holds the true counts (``numerator``, ``denominator``; null where a row has no
    such count) and the key columns of ``structure``; ``numbers`` are the columns nulled in a
    hidden row; ``budget`` bounds the audit's work (`attack.Budget` units; counts it cannot
    settle within it are reported unresolved in ``audit``; counted, not timed, so a run is
    reproducible); ``withhold``: hide mostly hidden municipalities whole (`suppress`), so
    that the audit can settle their counts. Raises StructureError when the table does not
    fit its structure (a declared relation fails on the true counts) and RuntimeError when
    protection does not settle.
    """
    # The solver side (SciPy, HiGHS) loads here, not when a reader imports the package.
    from kansrijk.publication.relations import compile_relations, violated  # noqa: PLC0415
    from kansrijk.publication.suppress import suppress  # noqa: PLC0415

    started = time.perf_counter()
    present = [c for c in numbers if c in cells.column_names and c not in structure.keys]
    _check_cells(cells, structure, present)
    relations = compile_relations(cells, structure)
    broken_eq, broken_ineq = violated(relations)
    if broken_eq or broken_ineq:
        raise StructureError(
            f"{broken_eq} declared equalit(ies) and {broken_ineq} inequalit(ies) do not hold "
            "on the true counts: the structure misses or misstates a relation"
        )
    compiled = time.perf_counter() - started
    result = suppress(relations, policy, budget=budget, withhold=withhold)
    hidden = result.hidden[relations.row_cell]
    public = _public(cells, hidden, present)
    internal = _internal(cells, relations, result, hidden, structure)
    truth = _truth(cells, result, relations.row_cell, hidden)
    loss = information_loss(cells, hidden, structure)
    audit = _audit_summary(result, policy)
    audit["budget"] = budget
    audit["structure"] = structure_fingerprint(structure)
    timings = {"compile structure": compiled, **result.timings}
    return Protected(
        public=public,
        internal=internal,
        policy=policy,
        audit=audit,
        loss=loss,
        keys=structure.keys,
        timings=timings,
        truth=truth,
        _token=_TOKEN,
    )


def _public(cells: pa.Table, hidden: np.ndarray, numbers: Sequence[str]) -> pa.Table:
    mask = pa.array(hidden)
    columns = []
    names = []
    for name in cells.column_names:
        if name in INTERNAL_ONLY:
            continue
        column = cells[name]
        if name in numbers:
            column = pc.if_else(mask, pa.scalar(None, column.type), column)
        elif name == "suppressed":
            column = mask
        columns.append(column)
        names.append(name)
    if "suppressed" not in names:
        columns.append(mask)
        names.append("suppressed")
    fields = [
        pa.field(n, c.type) if n not in cells.column_names else cells.schema.field(n)
        for n, c in zip(names, columns, strict=True)
    ]
    return pa.table(columns, schema=pa.schema(fields, metadata=cells.schema.metadata))


def _truth(
    cells: pa.Table, result: Suppression, row_cell: np.ndarray, hidden: np.ndarray
) -> pa.Table:
    """Every row of ``cells`` as counted, with whether it is hidden and why."""
    from kansrijk.publication.suppress import REASONS  # noqa: PLC0415

    names = np.array([REASONS.get(i) for i in range(max(REASONS) + 1)], dtype=object)
    reason = names[result.reason[row_cell]]
    mask = pa.array(hidden)
    why = pa.array(reason, pa.string(), mask=~hidden)
    return cells_table(cells, mask, why)


def _internal(
    cells: pa.Table,
    relations: object,
    result: Suppression,
    hidden: np.ndarray,
    structure: TableStructure,
) -> pa.Table:
    """Per hidden row: its keys, why it is hidden, its true counts, and per sensitive count
    what the attacker's audit found."""
    from kansrijk.publication.attack import STATUS_NAMES  # noqa: PLC0415
    from kansrijk.publication.relations import Relations  # noqa: PLC0415
    from kansrijk.publication.suppress import REASONS  # noqa: PLC0415

    assert isinstance(relations, Relations)
    rows = np.flatnonzero(hidden)
    cell_of = relations.row_cell[rows]
    reason = np.array([REASONS[int(r)] for r in result.reason[cell_of]], dtype=object)
    base = cells.take(pa.array(rows)).select([*structure.keys, "numerator", "denominator"])
    base = base.append_column("reason", pa.array(reason, pa.string()))
    audit = result.audit
    base = base.append_column("cell", pa.array(cell_of, pa.int64()))
    for prefix, kind in (("n", 0), ("c", 1)):
        pick = np.flatnonzero(audit.targets.kind == kind)
        found = pa.table(
            {
                "cell": pa.array(audit.targets.cell[pick], pa.int64()),
                f"{prefix}_low": audit.low[pick],
                f"{prefix}_high": audit.high[pick],
                f"{prefix}_audit": pa.array(
                    [STATUS_NAMES[int(x)] for x in audit.status[pick]], pa.string()
                ),
            }
        )
        base = base.join(found, "cell", join_type="left outer")
    return base.drop_columns(["cell"]).sort_by([(k, "ascending") for k in structure.keys])


def _audit_summary(result: Suppression, policy: DisclosurePolicy) -> dict[str, object]:
    from kansrijk.publication.suppress import REASONS  # noqa: PLC0415

    audit = result.audit
    status = audit.status
    return {
        "policy": policy.as_dict(),
        "sensitive_counts": len(audit.targets),
        "protected": int((status == 0).sum()),
        "exposed": int((status == 1).sum()),
        "unresolved": int((status == 2).sum()),
        "settled_by_certificate": int((audit.how == 0).sum()),
        "settled_by_programme": int((audit.how == 1).sum()),
        "rounds": result.rounds,
        "hidden_by_reason": {
            str(REASONS[int(k)]): int(v)
            for k, v in zip(
                *np.unique(result.reason[result.reason > 0], return_counts=True), strict=True
            )
        },
    }
