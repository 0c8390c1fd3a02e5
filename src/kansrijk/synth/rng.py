"""Named, independent random streams so one part of the generator can change
without shifting the random numbers of every other part."""

from __future__ import annotations

import hashlib

import numpy as np


def stream(seed: int, name: str, *keys: int) -> np.random.Generator:
    """A generator for component ``name`` (and optional integer keys, e.g. a year)."""
    digest = hashlib.sha256(name.encode()).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return np.random.default_rng([seed & 0xFFFFFFFF, seed >> 32, *words, *keys])
