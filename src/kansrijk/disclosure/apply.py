"""apply_disclosure: primary and secondary suppression of a results table."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.disclosure.groups import GroupKind, additive_groups
from kansrijk.disclosure.policy import DisclosurePolicy
from kansrijk.disclosure.primary import primary_reasons
from kansrijk.disclosure.schema import (
    CELL_KEYS,
    NUMBER_COLUMNS,
    RESULTS_SCHEMA,
    TOTAL,
    schema_problem,
)
from kansrijk.disclosure.secondary import REASONS, preference_rank, secondary_kinds


def _check_cells(cells: pa.Table) -> None:
    """Reject input that the suppression logic cannot handle correctly."""
    problem = schema_problem(cells)
    if problem is not None:
        raise ValueError(f"cells: {problem}")
    for name in (*CELL_KEYS, "numerator", "denominator", "suppressed"):
        if cells[name].null_count:
            raise ValueError(f"cells: column {name} has nulls")
    if pc.any(cells["suppressed"]).as_py():
        raise ValueError("cells: rows must come unsuppressed (suppressed = false)")
    if pc.any(pc.less(cells["numerator"], 0)).as_py():
        raise ValueError("cells: negative numerator")
    is_total = pc.equal(cells["breakdown"], TOTAL)
    if not pc.all(pc.equal(is_total, pc.equal(cells["breakdown_value"], TOTAL))).as_py():
        raise ValueError('cells: breakdown and breakdown_value must both be "total" or neither')
    if cells.group_by(list(CELL_KEYS)).aggregate([]).num_rows != cells.num_rows:
        raise ValueError("cells: the cell keys are not unique")


def apply_disclosure(
    cells: pa.Table, hierarchy: pa.Table, policy: DisclosurePolicy = DisclosurePolicy()
) -> pa.Table:
    """Hide small cells (primary) and cells that would reveal them (secondary).

    ``cells`` is a results table with ``suppressed`` false and counts filled in; ``hierarchy``
    (child_type, child_code, parent_type, parent_code) says which region cells add up to which.
    Returns the same columns with ``suppressed`` and ``suppression_reason`` set and, for hidden
    cells, numerator, denominator, value, ci_low and ci_high null.
    """
    _check_cells(cells)
    primary, reasons = primary_reasons(cells, policy)
    groups = additive_groups(cells, hierarchy)
    kinds = secondary_kinds(groups, primary, preference_rank(cells))
    for kind, reason in REASONS.items():
        reasons[kinds == kind] = reason
    hidden = pa.array(primary | (kinds < len(GroupKind)))

    columns = {}
    for field in RESULTS_SCHEMA:
        column = cells[field.name]
        if field.name in NUMBER_COLUMNS:
            column = pc.if_else(hidden, pa.scalar(None, field.type), column)
        elif field.name == "suppressed":
            column = hidden
        elif field.name == "suppression_reason":
            column = pa.array(reasons, type=pa.string())
        columns[field.name] = column
    return pa.table(columns, schema=RESULTS_SCHEMA.with_metadata(cells.schema.metadata))
