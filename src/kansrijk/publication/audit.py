"""The attacker's audit of a publication, run again from its files (``kansrijk monitor audit``).

`protect` audits while it suppresses; this module repeats the audit afterwards, from what was
written: the public table plus the true counts of its hidden cells, which only the internal
directory holds (`publish.internal_dir`). For every sensitive count (a numerator, complement
or denominator below the threshold) it computes what an attacker derives by linear
programming from everything published and every declared relation (`attack.attack`), and
says per count whether the interval is at least the protection level wide (*protected*),
narrower (*exposed*) or not settled within the time budget (*unresolved*). Only a report
with no exposed and no unresolved count passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kansrijk.publication.attack import KIND_NAMES, STATUS_NAMES, Budget, attack
from kansrijk.publication.errors import DisclosureError
from kansrijk.publication.internal import internal_dir, write_internal_parquet
from kansrijk.publication.policy import DisclosurePolicy
from kansrijk.publication.relations import compile_relations
from kansrijk.publication.structure import TableStructure
from kansrijk.publication.suppress import primary


@dataclass(frozen=True)
class AuditReport:
    """Per sensitive count what the attacker derives, and the totals."""

    counts: pa.Table  # keys, kind, low, high, status
    summary: dict[str, object]

    @property
    def failures(self) -> int:
        """Sensitive counts not shown protected (exposed or unresolved)."""
        exposed, unresolved = self.summary["exposed"], self.summary["unresolved"]
        assert isinstance(exposed, int) and isinstance(unresolved, int)
        return exposed + unresolved


def true_table(public: pa.Table, internal: pa.Table, keys: tuple[str, ...]) -> pa.Table:
    """The public table with the true counts of its hidden cells put back (internal only)."""
    hidden = public.filter(public["suppressed"]).select(list(keys))
    secret = internal.select([*keys, "numerator", "denominator"])
    filled = hidden.join(secret, list(keys), join_type="left outer")
    lost = pc.and_(pc.is_null(filled["numerator"]), pc.is_null(filled["denominator"]))
    if filled.num_rows != hidden.num_rows or pc.any(lost).as_py():
        raise DisclosureError("the internal protection file does not cover every hidden cell")
    shown = public.filter(pc.invert(public["suppressed"])).select(
        [*keys, "numerator", "denominator"]
    )
    both = pa.concat_tables([shown, filled.select(shown.column_names).cast(shown.schema)])
    return both.append_column("suppressed", pa.array([False] * both.num_rows))


def audit_tables(
    public: pa.Table,
    internal: pa.Table,
    structure: TableStructure,
    policy: DisclosurePolicy,
    *,
    budget: float | None = None,
    exact: bool = False,
) -> AuditReport:
    """Audit a public table against the true counts in ``internal`` (see the module docstring)."""
    keys = structure.keys
    truth = true_table(public, internal, keys)
    hidden_keys = public.filter(public["suppressed"]).select(list(keys))
    marked = truth.join(
        hidden_keys.append_column("_hidden", pa.array([True] * hidden_keys.num_rows)),
        list(keys),
        join_type="left outer",
    )
    relations = compile_relations(marked, structure)
    row_hidden = np.asarray(pc.fill_null(marked["_hidden"], False).to_numpy(zero_copy_only=False))
    hidden = np.zeros(relations.cells, dtype=bool)
    np.logical_or.at(hidden, relations.row_cell, row_hidden)
    _, targets = primary(relations, policy)
    published_targets = ~hidden[targets.cell]
    if published_targets.any():
        raise DisclosureError(
            f"{int(published_targets.sum())} cell(s) with a count below the threshold are published"
        )
    result = attack(relations, hidden, targets, policy.level, exact=exact, budget=Budget(budget))
    first = relations.cell_row[targets.cell]
    counts = marked.take(pa.array(first)).select(list(keys))
    counts = counts.append_column(
        "count", pa.array([KIND_NAMES[int(k)] for k in targets.kind], pa.string())
    )
    counts = counts.append_column("low", pa.array(result.low))
    counts = counts.append_column("high", pa.array(result.high))
    counts = counts.append_column(
        "status", pa.array([STATUS_NAMES[int(s)] for s in result.status], pa.string())
    )
    status = result.status
    summary: dict[str, object] = {
        "policy": policy.as_dict(),
        "sensitive_counts": len(targets),
        "protected": int((status == 0).sum()),
        "exposed": int((status == 1).sum()),
        "unresolved": int((status == 2).sum()),
        "hidden_cells": int(hidden.sum()),
        "budget": budget,
    }
    return AuditReport(counts=counts, summary=summary)


def audit_directory(
    out: Path,
    structure_of: Callable[[pa.Table], TableStructure],
    policy: DisclosurePolicy,
    *,
    basename: str = "results",
    budget: float | None = None,
    exact: bool = False,
) -> AuditReport:
    """Audit a published directory with the internal files `publish` wrote beside it;
    ``structure_of`` gives the structure of its public table."""
    public = pq.read_table(Path(out) / f"{basename}.parquet")
    secret = internal_dir(out) / "protection.parquet"
    if not secret.is_file():
        raise DisclosureError(f"{secret}: no internal protection file (not written by the gate)")
    return audit_tables(
        public, pq.read_table(secret), structure_of(public), policy, budget=budget, exact=exact
    )


def write_report(report: AuditReport, out: Path, seconds: float) -> Path:
    """Write the per-count report and its summary into the run's internal directory (never
    published): ``attack.parquet`` and ``attack.json``."""
    import json  # noqa: PLC0415

    from kansrijk.publication.publish import write_atomically  # noqa: PLC0415

    inside = internal_dir(out)
    summary = {**report.summary, "seconds": round(seconds, 1)}
    text = json.dumps(summary, indent=2, default=str) + "\n"
    write_atomically(
        inside,
        {
            "attack.parquet": lambda p: write_internal_parquet(
                report.counts, p, {"file": "attack.parquet"}
            ),
            "attack.json": lambda p: _write_text(p, text),
        },
    )
    return inside / "attack.parquet"


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
