"""An attacker written independently of `kansrijk.publication`: for each hidden count of a
`tables.Layout` table, its exact interval from everything published, by two linear programmes
(SciPy's HiGHS), built straight from the layout's meaning rather than from the compiled
relations the gate uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pyarrow as pa
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from .tables import MEASURES, PARTS, Layout

Coord = tuple[int, int, str, str, str]  # period_start, period_end, region, breakdown, category


def _coords(layout: Layout) -> list[Coord]:
    regions = [*layout.leaves, *layout.province_codes, "NL"]
    cats = [("total", "total"), *(("single_parent", v) for v in layout.values)]
    return [(s, e, r, b, c) for s, e in layout.periods for r in regions for b, c in cats]


def _relations(layout: Layout) -> Iterator[tuple[Coord, list[Coord]]]:
    """(parent, children) at every coordinate: regions, periods, breakdown values."""
    provinces = dict(zip(layout.province_codes, layout.provinces, strict=True))
    cats = [("total", "total"), *(("single_parent", v) for v in layout.values)]
    for s, e in layout.periods:
        for b, c in cats:
            for pv, ms in provinces.items():
                yield (s, e, pv, b, c), [(s, e, m, b, c) for m in ms]
            yield (s, e, "NL", b, c), [(s, e, r, b, c) for r in [*provinces, "NL00"]]
        for r in [*layout.leaves, *provinces, "NL"]:
            yield (
                (s, e, r, "total", "total"),
                [(s, e, r, "single_parent", v) for v in layout.values],
            )
    if layout.pooled:
        first, last = layout.years[0], layout.years[-1]
        for r in [*layout.leaves, *provinces, "NL"]:
            for b, c in cats:
                yield (first, last, r, b, c), [(y, y, r, b, c) for y in layout.years]


def intervals(
    layout: Layout, truth: pa.Table, public: pa.Table
) -> tuple[
    dict[tuple[str, Coord], int], Callable[[dict[tuple[str, Coord], float]], tuple[float, float]]
]:
    """The true counts, and the attacker: (min, max) of a linear form of counts."""
    true: dict[tuple[str, Coord], int] = {}
    for r in truth.to_pylist():
        coord = (r["period_start"], r["period_end"], r["region"], r["breakdown"], r["category"])
        true[(r["indicator"], coord)] = r["numerator"]
        true[("all", coord)] = r["denominator"]
    known: dict[tuple[str, Coord], int] = {}
    for r in public.to_pylist():
        if r["suppressed"]:
            continue
        coord = (r["period_start"], r["period_end"], r["region"], r["breakdown"], r["category"])
        known[(r["indicator"], coord)] = r["numerator"]
        known[("all", coord)] = r["denominator"]
    quantities = [(q, c) for c in _coords(layout) for q in (*MEASURES, "all")]
    # A cell absent from the table has no units: every count of it is a published zero.
    value = {k: (known.get(k, None if k in true else 0)) for k in quantities}
    hidden = [k for k in quantities if value[k] is None]
    col = {k: i for i, k in enumerate(hidden)}
    rows: list[tuple[dict[int, float], float]] = []

    def equation(terms: list[tuple[float, tuple[str, Coord]]]) -> None:
        coef: dict[int, float] = {}
        rhs = 0.0
        for a, k in terms:
            if k in col:
                coef[col[k]] = coef.get(col[k], 0.0) + a
            else:
                rhs -= a * float(value[k] or 0)
        if coef:
            rows.append((coef, rhs))

    for parent, children in _relations(layout):
        for q in (*MEASURES, "all"):
            equation([(-1.0, (q, parent)), *((1.0, (q, ch)) for ch in children)])
    for c in _coords(layout):
        equation([(-1.0, ("all", c)), *((1.0, (p, c)) for p in PARTS)])
    a_eq = lil_matrix((len(rows), len(hidden)))
    b_eq = np.zeros(len(rows))
    for i, (coef, rhs) in enumerate(rows):
        for j, a in coef.items():
            a_eq[i, j] = a
        b_eq[i] = rhs
    # numerator <= denominator for every measure
    ub = [
        (
            col.get((q, c)),
            col.get(("all", c)),
            float(value[(q, c)] or 0),
            float(value[("all", c)] or 0),
        )
        for c in _coords(layout)
        for q in ("rate",)
    ]
    a_ub = lil_matrix((len(ub), len(hidden)))
    b_ub = np.zeros(len(ub))
    for i, (jn, jd, vn, vd) in enumerate(ub):
        rhs = 0.0
        if jn is not None:
            a_ub[i, jn] = 1.0
        else:
            rhs -= vn
        if jd is not None:
            a_ub[i, jd] = -1.0
        else:
            rhs += vd
        b_ub[i] = rhs
    a_eq_csr, a_ub_csr = a_eq.tocsr(), a_ub.tocsr()

    def bounds(form: dict[tuple[str, Coord], float]) -> tuple[float, float]:
        c = np.zeros(len(hidden))
        const = 0.0
        for k, a in form.items():
            if k in col:
                c[col[k]] += a
            else:
                const += a * float(value[k] or 0)
        if not c.any():
            return const, const
        kw = {"A_ub": a_ub_csr, "b_ub": b_ub, "A_eq": a_eq_csr, "b_eq": b_eq, "bounds": (0, None)}
        lo = linprog(c, method="highs", **kw)
        hi = linprog(-c, method="highs", **kw)
        assert lo.status == 0, f"the published table contradicts the truth ({lo.message})"
        return float(lo.fun) + const, (float(-hi.fun) + const if hi.status == 0 else np.inf)

    return true, bounds


def under_protected(
    layout: Layout, truth: pa.Table, public: pa.Table, threshold: int, level: float
) -> list[str]:
    """Sensitive counts (numerator, complement or denominator below ``threshold``) whose
    attacker interval is narrower than ``level``."""
    _, bounds = intervals(layout, truth, public)
    bad: list[str] = []
    for r in truth.to_pylist():
        coord = (r["period_start"], r["period_end"], r["region"], r["breakdown"], r["category"])
        num, den = (r["indicator"], coord), ("all", coord)
        n, d = r["numerator"], r["denominator"]
        forms = {
            "numerator": (n, {num: 1.0}),
            "denominator": (d, {den: 1.0}),
            "complement": (d - n, {den: 1.0, num: -1.0}),
        }
        for name, (count, form) in forms.items():
            if count >= threshold:
                continue
            lo, hi = bounds(form)
            if hi - lo < level - 1e-6:
                bad.append(f"{r['indicator']} {coord} {name} {count}: [{lo:g}, {hi:g}]")
    return bad
