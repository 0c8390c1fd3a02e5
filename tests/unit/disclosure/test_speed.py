"""Timing of apply_disclosure at monitor scale (~300,000 cells); run with `-m bench`."""

from __future__ import annotations

import time

import numpy as np
import pytest

from kansrijk.disclosure import apply_disclosure, check_publishable

from .synthetic import Layout, random_cells


@pytest.mark.bench
def test_apply_disclosure_on_300k_cells() -> None:
    # 342 municipalities in 12 provinces + 12 provinces + unknown + NL = 356 regions; 10 years
    # plus one 5-year window; total and two breakdown values; 25 indicators: 293,700 cells.
    sizes = [29] * 6 + [28] * 6
    provinces = [[f"GM{1000 + 100 * p + i:04d}" for i in range(n)] for p, n in enumerate(sizes)]
    layout = Layout(
        provinces=provinces,
        years=range(2014, 2024),
        breakdown_values=["high", "low"],
        pooled=[(2019, 2023)],
    )
    cells = random_cells(np.random.default_rng(1), layout, 25, 60.0)
    start = time.perf_counter()
    out = apply_disclosure(cells, layout.hierarchy())
    seconds = time.perf_counter() - start
    print(f"apply_disclosure: {cells.num_rows} cells in {seconds:.2f} s")
    check_publishable(out, hierarchy=layout.hierarchy())
    assert seconds < 5.0
