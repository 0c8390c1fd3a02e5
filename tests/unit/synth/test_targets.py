import pytest

from kansrijk.synth import targets


def test_series_interpolates_between_published_points() -> None:
    s = targets.series("no_kraamzorg", range(2015, 2023))
    assert s[2016] == 6.3
    assert s[2020] == 9.5
    assert s[2018] == pytest.approx(7.9)
    assert s[2015] == 6.3  # flat before the first point
    assert s[2022] == 9.5  # and after the last


def test_every_published_figure_is_a_target_with_tolerance() -> None:
    ts = targets.targets()
    keys = {(t.key, t.year) for t in ts}
    assert ("big2", 2020) in keys and ("placements_per_1000", 2016) in keys
    placements = next(t for t in ts if t.key == "placements_per_1000")
    assert placements.unit == "per 1,000" and placements.tolerance == 0.2
    assert all(t.tolerance > 0 for t in ts)


def test_unknown_series_is_an_error() -> None:
    with pytest.raises(KeyError):
        targets.series("nope", [2020])
