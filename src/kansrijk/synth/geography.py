"""Where synthetic people live: municipality sizes, atoms and postcodes.

People are placed in *atoms* (``kansrijk.geo.atoms``): the finest areas whose
municipality is known in every year, so a person who stays put is registered
under the code in force on each date (mergers happen to them, as in the BRP).
Sizes are synthetic: the largest municipalities get their approximate 2023
population, the rest a log-normal size drawn once from a fixed seed.
Postcodes are real only for parts of split municipalities; elsewhere they are
plausible four-digit numbers without geographic meaning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
from numpy.typing import NDArray

from kansrijk import geo

#: Approximate population (thousands) of the largest municipalities, 2023 codes.
LARGE_MUNICIPALITIES: dict[str, float] = {
    "GM0363": 918,
    "GM0599": 664,
    "GM0518": 562,
    "GM0344": 367,
    "GM0772": 240,
    "GM0014": 238,
    "GM0855": 225,
    "GM0034": 218,
    "GM0758": 185,
    "GM0268": 179,
    "GM0200": 166,
    "GM0202": 165,
    "GM0392": 163,
    "GM0153": 160,
    "GM0394": 160,
    "GM0307": 160,
    "GM0479": 158,
    "GM0796": 157,
    "GM0193": 131,
    "GM0546": 126,
    "GM0637": 126,
    "GM0080": 125,
    "GM0935": 121,
    "GM0505": 120,
    "GM0228": 120,
    "GM1783": 112,
    "GM0361": 110,
    "GM0114": 108,
    "GM0503": 104,
    "GM0150": 102,
    "GM0983": 102,
    "GM0794": 93,
    "GM0828": 93,
    "GM0362": 92,
    "GM0439": 92,
    "GM0402": 91,
    "GM1883": 91,
    "GM1900": 91,
    "GM0917": 87,
    "GM0164": 82,
    "GM0606": 80,
    "GM1674": 78,
    "GM1916": 77,
}
SIZE_SEED = 342  # sizes do not change with --seed: the country stays the same
REFERENCE_YEAR = 2025


@dataclass(frozen=True)
class AtomFrame:
    """The atoms as arrays: weights, a postcode pool, and codes per period."""

    atom_ids: tuple[str, ...]
    weights: NDArray[np.float64]  # sums to 1
    province: tuple[str, ...]  # province code of the reference-year municipality
    postcode_offsets: NDArray[np.int64]  # start of each atom's pool in postcode_pool
    postcode_counts: NDArray[np.int64]
    postcode_pool: NDArray[np.int32]
    # Periods in which an atom's code is constant: [start, end) as day numbers.
    period_atom: NDArray[np.int64]
    period_start: NDArray[np.int64]
    period_end: NDArray[np.int64]
    period_code: tuple[str, ...]


def _stable_unit(text: str) -> float:
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "little") / 2**64


@cache
def municipality_weights() -> dict[str, float]:
    """Relative population of each municipality of the reference year."""
    rng = np.random.default_rng(SIZE_SEED)
    codes = sorted(m.code for m in geo.municipalities(REFERENCE_YEAR))
    draws = rng.lognormal(mean=np.log(26.0), sigma=0.62, size=len(codes))
    sizes = {c: float(min(d, 75.0)) for c, d in zip(codes, draws, strict=True)}
    for code, size in LARGE_MUNICIPALITIES.items():
        if code in sizes:
            sizes[code] = size
    total = sum(sizes.values())
    return {c: s / total for c, s in sizes.items()}


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


@cache
def atom_frame(first_year: int, last_year: int) -> AtomFrame:
    """Atoms with weights and the code periods covering ``first_year``..``last_year``."""
    atoms = geo.atoms()
    weights_by_code = municipality_weights()
    per_code: dict[str, list[int]] = {}
    for i, atom in enumerate(atoms):
        per_code.setdefault(atom.codes[REFERENCE_YEAR], []).append(i)
    weights = np.zeros(len(atoms))
    for code, members in per_code.items():
        shares = np.array([0.5 + _stable_unit(atoms[i].atom_id) for i in members])
        weights[members] = weights_by_code[code] * shares / shares.sum()
    weights /= weights.sum()

    province_of = {m.code: m.province_code for m in geo.municipalities(REFERENCE_YEAR)}
    pools: list[list[int]] = []
    for atom in atoms:
        if atom.postcodes:
            pools.append(sorted(atom.postcodes))
        else:
            base = 1000 + int(_stable_unit("pc4" + atom.atom_id) * 8900)
            pools.append([base + k for k in range(1 + int(_stable_unit("n" + atom.atom_id) * 6))])
    counts = np.array([len(p) for p in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)

    # Periods: split each year at the dates where an atom's code changes.
    p_atom: list[int] = []
    p_start: list[int] = []
    p_end: list[int] = []
    p_code: list[str] = []
    horizon_start = date(1900, 1, 1)
    horizon_end = date(2100, 1, 1)
    boundaries = sorted(
        {date(y, 1, 1) for y in range(first_year, last_year + 2)}
        | {
            m.effective_date
            for m in geo.mergers()
            if first_year <= m.effective_date.year <= last_year + 1
        }
    )
    for i, atom in enumerate(atoms):
        points = [horizon_start, *[b for b in boundaries if b > horizon_start], horizon_end]
        current_code: str | None = None
        current_start = horizon_start
        for start in points[:-1]:
            probe = min(max(start, date(first_year, 1, 1)), date(last_year, 12, 31))
            code = atom_code(atom, probe, first_year, last_year)
            if code != current_code:
                if current_code is not None:
                    p_atom.append(i)
                    p_start.append(_day(current_start))
                    p_end.append(_day(start))
                    p_code.append(current_code)
                current_code, current_start = code, start
        assert current_code is not None
        p_atom.append(i)
        p_start.append(_day(current_start))
        p_end.append(_day(horizon_end))
        p_code.append(current_code)

    return AtomFrame(
        atom_ids=tuple(a.atom_id for a in atoms),
        weights=weights,
        province=tuple(province_of[a.codes[REFERENCE_YEAR]] for a in atoms),
        postcode_offsets=offsets,
        postcode_counts=counts,
        postcode_pool=np.array([p for pool in pools for p in pool], dtype=np.int32),
        period_atom=np.array(p_atom, dtype=np.int64),
        period_start=np.array(p_start, dtype=np.int64),
        period_end=np.array(p_end, dtype=np.int64),
        period_code=tuple(p_code),
    )


def atom_code(atom: geo.Atom, on: date, first_year: int, last_year: int) -> str:
    """The atom's code on ``on``, clamped to the years the geography covers.

    Spells before the first covered year carry that year's code (documented in
    the data contract notes for synthetic data).
    """
    lo, hi = min(atom.codes), max(atom.codes)
    clamped = min(max(on, date(max(lo, first_year), 1, 1)), date(min(hi, last_year), 12, 31))
    return geo.atom_code_on(atom, clamped)
