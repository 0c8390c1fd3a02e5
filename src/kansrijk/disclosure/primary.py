"""Primary suppression: a cell with a small numerator, complement or denominator is hidden.

A numerator of 0 is below the threshold and therefore hidden too: the spec's rule hides every
count below 10, and a published 0% would reveal that the whole denominator lacks the outcome.
For "per 1,000" rates the same rule applies to events and population.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from kansrijk.disclosure.policy import DisclosurePolicy


def primary_reasons(
    cells: pa.Table, policy: DisclosurePolicy
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.object_]]:
    """Per row whether it is hidden and why (denominator first, then numerator, complement)."""
    num = cells["numerator"].to_numpy()
    den = cells["denominator"].to_numpy()
    t = policy.threshold
    code = np.select([den < t, num < t, (den - num) < t], [1, 2, 3], default=0)
    texts = np.array(
        [None, policy.reason_denominator, policy.reason_numerator, policy.reason_complement],
        dtype=object,
    )
    return code > 0, texts[code]
