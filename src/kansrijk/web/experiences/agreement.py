"""Inter-coder agreement per code: Cohen's kappa and Krippendorff's alpha (nominal).

Framework-free. The units are the fragments both coders coded; per code each coder's value on
a fragment is 1 (applied the code) or 0 (did not), so each code gets its own 2 x n table.

* **Cohen's kappa** by scikit-learn (``sklearn.metrics.cohen_kappa_score``; a declared
  dependency, locked before through StepMix and skops): (p_o - p_e) / (1 - p_e), chance
  agreement from each coder's own marginals.
* **Krippendorff's alpha** for nominal data, implemented here with numpy from the coincidence
  matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C): any
  number of coders and values, missing values allowed (a unit counts when at least two coders
  gave it a value). alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k. The tests
  check it against the paper's worked examples (alpha = 0.095 for the two-coder binary example,
  0.743 for the four-coder nominal example with missing data). The ``krippendorff`` package
  would add a dependency for these fifteen lines.

Both are undefined when the coders used a single value throughout (no variation: p_e = 1,
D_e = 0); they are then ``None``, shown as "not defined", never as 1 or 0.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

K = TypeVar("K", bound=Hashable)


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Cohen's kappa of two coders' values on the same units (None when undefined)."""
    if len(a) != len(b):
        raise ValueError("both coders must rate the same units")
    if not a or len(set(a) | set(b)) < 2:
        return None
    if len(set(a)) == 1 and set(a) == set(b):
        return None
    from sklearn.metrics import cohen_kappa_score  # noqa: PLC0415 (a second to import)

    with np.errstate(divide="ignore", invalid="ignore"):
        value = float(cohen_kappa_score(list(a), list(b)))
    return None if math.isnan(value) else value


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal values. ``units`` holds per unit the values of every
    coder (``None`` where a coder gave none). None when undefined (one value throughout, or
    fewer than two pairable values)."""
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [values for values in pairable if len(values) >= 2]
    categories = sorted({v for values in pairable for v in values}, key=repr)
    if len(categories) < 2:
        return None
    index = {c: i for i, c in enumerate(categories)}
    coincidences = np.zeros((len(categories), len(categories)))
    for values in pairable:
        counts = np.zeros(len(categories))
        for v in values:
            counts[index[v]] += 1
        # Every ordered pair of values of different coders in the unit, weighted 1/(m_u - 1).
        coincidences += (np.outer(counts, counts) - np.diag(counts)) / (len(values) - 1)
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    observed = coincidences.sum() - np.trace(coincidences)
    expected = (totals.sum() ** 2 - (totals**2).sum()) / (n - 1)
    if expected == 0:
        return None
    return float(1 - observed / expected)


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code over ``units`` fragments."""

    code: str
    units: int
    #: Fragments on which both applied the code, only one did, neither did.
    both: int
    one: int
    neither: int
    kappa: float | None
    alpha: float | None

    @property
    def percent(self) -> float | None:
        return (self.both + self.neither) / self.units if self.units else None


def per_code(
    codes: Sequence[str],
    first: Mapping[K, set[str]],
    second: Mapping[K, set[str]],
) -> list[CodeAgreement]:
    """Agreement per code between two coders; ``first`` and ``second`` give per fragment (the
    same keys) the codes each coder applied."""
    if first.keys() != second.keys():
        raise ValueError("both coders must rate the same fragments")
    units = list(first)
    out = []
    for code in codes:
        a = [int(code in first[u]) for u in units]
        b = [int(code in second[u]) for u in units]
        both = sum(x and y for x, y in zip(a, b, strict=True))
        one = sum(x != y for x, y in zip(a, b, strict=True))
        alpha = krippendorff_alpha_nominal(list(zip(a, b, strict=True)))
        out.append(
            CodeAgreement(
                code, len(units), both, one, len(units) - both - one, cohen_kappa(a, b), alpha
            )
        )
    return out
