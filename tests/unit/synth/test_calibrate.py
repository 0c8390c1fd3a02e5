import numpy as np
import pytest

from kansrijk.synth.calibrate import sigmoid, solve_intercept


def test_intercept_reproduces_the_target_mean() -> None:
    eta = np.random.default_rng(1).normal(0, 1.5, 10_000)
    a = solve_intercept(eta, 0.063)
    assert np.mean(sigmoid(a + eta)) == pytest.approx(0.063, abs=1e-9)


def test_weighted_and_probit_links() -> None:
    rng = np.random.default_rng(2)
    eta = rng.normal(0, 1, 5_000)
    w = rng.integers(1, 3, 5_000).astype(float)
    a = solve_intercept(eta, 0.2, weights=w)
    assert np.average(sigmoid(a + eta), weights=w) == pytest.approx(0.2, abs=1e-9)
    from scipy.special import ndtr

    b = solve_intercept(eta, 0.1, link="probit")
    assert np.mean(ndtr(b + eta)) == pytest.approx(0.1, abs=1e-9)


@pytest.mark.parametrize("target", [0.0, 1.0, -0.1])
def test_rejects_impossible_targets(target: float) -> None:
    with pytest.raises(ValueError, match="target probability"):
        solve_intercept(np.zeros(3), target)


def test_rejects_empty_population() -> None:
    with pytest.raises(ValueError, match="empty"):
        solve_intercept(np.zeros(0), 0.5)
