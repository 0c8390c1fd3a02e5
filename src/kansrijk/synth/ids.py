"""Synthetic pseudonyms: unique, unguessable-looking identifiers from an index.

A bijective 64-bit mixer (SplitMix64's finaliser) keyed by the seed turns
0, 1, 2, ... into distinct numbers, so identifiers are unique without a lookup
table and reproducible for a seed. A letter prefix names the domain.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _M1
        x = x ^ (x >> np.uint64(27))
        x = x * _M2
        x = x ^ (x >> np.uint64(31))
    return x


def make_ids(prefix: str, index: NDArray[np.int64], seed: int) -> pa.Array:
    """Identifiers ``prefix`` + 19-20 digits for each index (NULL where index < 0)."""
    domain = int.from_bytes(prefix.encode(), "little")
    key = np.uint64((seed * 0x9E3779B97F4A7C15 + domain * 0x632BE59BD9B4E019) % 2**64)
    with np.errstate(over="ignore"):
        mixed = _mix(np.maximum(index, 0).astype(np.uint64) + key)
    # Keep 63 bits and force 19 digits so every identifier has the same length.
    numbers = (mixed >> np.uint64(1)) % np.uint64(9 * 10**18) + np.uint64(10**18)
    text = pc.cast(pa.array(numbers, pa.uint64()), pa.string())
    out = pc.binary_join_element_wise(prefix, text, "")
    mask = pa.array(index < 0)
    return pc.if_else(mask, pa.scalar(None, pa.string()), out)
