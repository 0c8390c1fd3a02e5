"""The synthetic `municipality_classes` table: inhabitants and address density per municipality.

Inhabitants follow the synthetic country's municipality sizes (`geography.municipality_weights`,
spread over the atoms as the simulation spreads its people) scaled to `INHABITANTS`; the address
density is drawn once, with a fixed seed, around a line that rises with size (large
municipalities are denser, as in CBS's Kerncijfers wijken en buurten). Like the sizes, the table
does not change with ``--seed``: the country stays the same.

The monitor may classify with any year's municipalities, so the table has a row for every code
in force in some year of the geography, with the size of the latest year it was in force (a
municipality merged away in 2019 has its 2018 size; one that absorbed others, its size after).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final

import numpy as np
import pyarrow as pa

from kansrijk import geo
from kansrijk.synth.geography import AtomFrame

#: Inhabitants of the Netherlands the sizes are scaled to (CBS, 1 January 2024).
INHABITANTS: Final = 17_800_000
DENSITY_SEED: Final = 343
#: log10(address density) = INTERCEPT + SLOPE * (log10(inhabitants) - 4.5) + N(0, NOISE).
INTERCEPT: Final = 2.8
SLOPE: Final = 0.6
NOISE: Final = 0.18
DENSITY_RANGE: Final = (60.0, 7000.0)


def inhabitants(atoms: AtomFrame) -> dict[str, int]:
    """Inhabitants per municipality code, each code at the latest year it was in force."""
    weight = dict(zip(atoms.atom_ids, atoms.weights, strict=True))
    latest: dict[str, int] = {}
    for atom in geo.atoms():
        for year, code in atom.codes.items():
            latest[code] = max(latest.get(code, year), year)
    sizes: dict[str, float] = defaultdict(float)
    for atom in geo.atoms():
        for year, code in atom.codes.items():
            if latest[code] == year:
                sizes[code] += float(weight.get(atom.atom_id, 0.0))
    return {code: round(share * INHABITANTS) for code, share in sorted(sizes.items())}


def municipality_classes(atoms: AtomFrame) -> pa.Table:
    """The ``municipality_classes`` contract table (statcode, inhabitants, address_density)."""
    people = inhabitants(atoms)
    codes = sorted(people)
    rng = np.random.default_rng(DENSITY_SEED)
    noise = rng.normal(0.0, NOISE, size=len(codes))
    size = np.log10(np.maximum([people[c] for c in codes], 1))
    density = np.clip(10 ** (INTERCEPT + SLOPE * (size - 4.5) + noise), *DENSITY_RANGE)
    return pa.table(
        {
            "statcode": codes,
            "inhabitants": pa.array([people[c] for c in codes], pa.int64()),
            "address_density": pa.array(np.round(density), pa.float64()),
        }
    )
