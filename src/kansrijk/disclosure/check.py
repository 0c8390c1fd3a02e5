"""check_publishable: the last gate before anything is written."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.disclosure.errors import DisclosureError
from kansrijk.disclosure.groups import additive_groups
from kansrijk.disclosure.policy import DisclosurePolicy
from kansrijk.disclosure.schema import CELL_KEYS, NUMBER_COLUMNS, schema_problem


def _first_key(results: pa.Table, mask: pa.ChunkedArray) -> str:
    """The keys of the first offending row (keys only: never counts)."""
    row = results.filter(mask).slice(0, 1).select(list(CELL_KEYS)).to_pylist()[0]
    return ", ".join(f"{k}={v}" for k, v in row.items())


def _refuse(results: pa.Table, mask: pa.ChunkedArray, what: str) -> None:
    count = pc.sum(pc.cast(mask, pa.int64())).as_py() or 0
    if count:
        raise DisclosureError(f"{count} row(s) {what}; first: {_first_key(results, mask)}")


def check_publishable(
    results: pa.Table,
    policy: DisclosurePolicy = DisclosurePolicy(),
    hierarchy: pa.Table | None = None,
) -> None:
    """Raise DisclosureError unless ``results`` may be published as it is.

    Refused: a column set or type other than the results schema; a published row whose
    numerator, complement or denominator is missing or below the threshold, or that carries a
    reason; a suppressed row that still carries any number or lacks a reason. With a
    ``hierarchy``, also refused: an additive group with exactly one hidden cell.
    """
    problem = schema_problem(results)
    if problem is not None:
        raise DisclosureError(f"not a results table: {problem}")
    suppressed = results["suppressed"]
    _refuse(results, pc.is_null(suppressed), "have no suppressed flag")
    published = pc.invert(suppressed)
    t = policy.threshold
    num, den = results["numerator"], results["denominator"]
    small = pc.or_kleene(
        pc.or_kleene(pc.less(num, t), pc.less(den, t)), pc.less(pc.subtract(den, num), t)
    )
    unsafe = pc.or_kleene(small, pc.or_kleene(pc.is_null(num), pc.is_null(den)))
    _refuse(results, pc.and_(published, unsafe), f"published with a count below {t} or missing")
    _refuse(
        results,
        pc.and_(published, pc.is_valid(results["suppression_reason"])),
        "published with a suppression reason",
    )
    for name in NUMBER_COLUMNS:
        carries = pc.and_(suppressed, pc.is_valid(results[name]))
        _refuse(results, carries, f"suppressed but still carry {name}")
    _refuse(
        results,
        pc.and_(suppressed, pc.is_null(results["suppression_reason"])),
        "suppressed without a reason",
    )
    if hierarchy is not None:
        groups = additive_groups(results, hierarchy)
        hidden = np.asarray(suppressed.to_numpy(zero_copy_only=False), dtype=bool)
        singles = int(np.count_nonzero(groups.hidden_per_group(hidden) == 1))
        if singles:
            raise DisclosureError(f"{singles} additive group(s) have exactly one hidden cell")
