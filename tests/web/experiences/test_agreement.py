"""Inter-coder agreement: Krippendorff's alpha against the worked examples of Krippendorff
(2011), "Computing Krippendorff's Alpha-Reliability" (University of Pennsylvania,
ScholarlyCommons, asc_papers/43), and Cohen's kappa against a hand computation."""

from __future__ import annotations

import pytest

from kansrijk.web.experiences.agreement import (
    cohen_kappa,
    krippendorff_alpha_nominal,
    per_code,
)

# Section A of the paper: binary data, two observers, ten units, no missing values.
A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def test_alpha_binary_two_coders_matches_the_paper() -> None:
    """By hand: the coincidence matrix has o_00 = 10, o_01 = o_10 = 4, o_11 = 2 (n = 20,
    n_0 = 14, n_1 = 6), so alpha = 1 - (n - 1) * o_01 * 2 / (2 * n_0 * n_1)
    = 1 - 19 * 4 / (14 * 6) = 1 - 76 / 84 = 0.0952: the paper's 0.095."""
    alpha = krippendorff_alpha_nominal(list(zip(A, B, strict=True)))
    assert alpha == pytest.approx(1 - 76 / 84)
    assert round(alpha or 0, 3) == 0.095


def test_alpha_nominal_four_coders_missing_values_matches_the_paper() -> None:
    """Section C: four observers, twelve units, missing values, nominal: alpha = 0.743."""
    n = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    alpha = krippendorff_alpha_nominal(list(zip(*coders, strict=True)))
    assert round(alpha or 0, 3) == 0.743


def test_kappa_by_hand() -> None:
    """p_o = 6/10; p_e = 0.2 * 0.4 + 0.8 * 0.6 = 0.56; kappa = 0.04 / 0.44."""
    assert cohen_kappa(A, B) == pytest.approx(0.04 / 0.44)


def test_undefined_without_variation() -> None:
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert cohen_kappa([0, 0], [0, 0]) is None
    assert krippendorff_alpha_nominal([(1, 1), (1, 1)]) is None
    assert krippendorff_alpha_nominal([(1, None), (None, 2)]) is None  # nothing pairable


def test_perfect_agreement() -> None:
    assert cohen_kappa([0, 1, 1], [0, 1, 1]) == pytest.approx(1.0)
    assert krippendorff_alpha_nominal([(0, 0), (1, 1), (1, 1)]) == pytest.approx(1.0)


def test_per_code_counts_each_code_separately() -> None:
    first = {1: {"Samenwerking"}, 2: {"Samenwerking", "Leren van elkaar"}, 3: set()}
    second = {1: {"Samenwerking"}, 2: {"Samenwerking"}, 3: {"Leren van elkaar"}}
    rows = {r.code: r for r in per_code(["Samenwerking", "Leren van elkaar"], first, second)}
    together = rows["Samenwerking"]
    assert (together.units, together.both, together.one, together.neither) == (3, 2, 0, 1)
    assert together.kappa == pytest.approx(1.0)
    learning = rows["Leren van elkaar"]
    assert (learning.both, learning.one, learning.neither) == (0, 2, 1)
    assert learning.percent == pytest.approx(1 / 3)


def test_per_code_needs_the_same_fragments() -> None:
    with pytest.raises(ValueError, match="same fragments"):
        per_code(["x"], {1: set()}, {2: set()})
