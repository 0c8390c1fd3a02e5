"""Urbanisation and size classes, and the group of similar municipalities."""

from __future__ import annotations

import random

import pytest

from kansrijk.geo.classes import (
    MunicipalityClass,
    classify,
    comparison_group,
    group,
    size_class,
    urbanisation_class,
)


@pytest.mark.parametrize(
    ("density", "expected"),
    [
        (6000.0, 1),
        (2500.0, 1),  # on a boundary: the more urban class (CBS)
        (2499.9, 2),
        (1500.0, 2),
        (1499.0, 3),
        (1000.0, 3),
        (999.0, 4),
        (500.0, 4),
        (499.9, 5),
        (0.0, 5),
    ],
)
def test_urbanisation_class_follows_cbs_boundaries(density: float, expected: int) -> None:
    assert urbanisation_class(density) == expected


@pytest.mark.parametrize(
    ("inhabitants", "expected"),
    [
        (0, 1),
        (19_999, 1),
        (20_000, 2),  # on a boundary: the larger class
        (49_999, 2),
        (50_000, 3),
        (99_999, 3),
        (100_000, 4),
        (249_999, 4),
        (250_000, 5),
        (931_298, 5),
    ],
)
def test_size_class_boundaries(inhabitants: int, expected: int) -> None:
    assert size_class(inhabitants) == expected


def test_negative_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="density"):
        urbanisation_class(-1.0)
    with pytest.raises(ValueError, match="inhabitants"):
        size_class(-5)


def test_classify_combines_both() -> None:
    assert classify("GM0363", 931_298, 6250.0) == MunicipalityClass("GM0363", 1, 5)


def _classes(spec: dict[str, tuple[int, int]]) -> dict[str, MunicipalityClass]:
    return {code: MunicipalityClass(code, u, s) for code, (u, s) in spec.items()}


def test_same_classes_when_there_are_five_others() -> None:
    classes = _classes(
        {
            "GM0001": (3, 3),
            **{f"GM010{i}": (3, 3) for i in range(5)},
            "GM0200": (3, 2),  # adjacent size: not needed
            "GM0300": (2, 3),
        }
    )
    found = group("GM0001", classes)
    assert found.members == ("GM0100", "GM0101", "GM0102", "GM0103", "GM0104")
    assert (found.urbanisation_range, found.size_range) == ((3, 3), (3, 3))
    assert not found.widened


def test_widening_takes_adjacent_size_classes_first() -> None:
    classes = _classes(
        {
            "GM0001": (3, 3),
            "GM0101": (3, 3),
            "GM0102": (3, 3),
            "GM0201": (3, 2),
            "GM0202": (3, 4),
            "GM0203": (3, 5),  # two size classes away: not in the first step
            "GM0301": (2, 3),  # adjacent urbanisation: only after the size step
        }
    )
    # Same classes: 2; with size 2-4: 4, still fewer than 5, so urbanisation 2-4 as well: 5.
    found = group("GM0001", classes)
    assert found.members == ("GM0101", "GM0102", "GM0201", "GM0202", "GM0301")
    assert found.urbanisation_range == (2, 4)
    assert found.size_range == (2, 4)
    assert found.widened


def test_widening_stops_at_the_first_step_with_enough_members() -> None:
    classes = _classes(
        {
            "GM0001": (1, 5),
            "GM0101": (1, 5),
            "GM0102": (1, 5),
            "GM0201": (1, 4),
            "GM0202": (1, 4),
            "GM0203": (1, 4),
            "GM0301": (2, 5),
        }
    )
    # Same classes: 2; size 4-5 (urbanisation 1): 5 -> stop; GM0301 stays out.
    found = group("GM0001", classes)
    assert found.members == ("GM0101", "GM0102", "GM0201", "GM0202", "GM0203")
    assert found.size_range == (4, 5)  # clipped at class 5
    assert found.urbanisation_range == (1, 1)


def test_the_group_never_holds_the_municipality_and_takes_all_when_few() -> None:
    classes = _classes({"GM0001": (1, 1), "GM0002": (5, 5), "GM0003": (3, 3)})
    assert comparison_group("GM0001", classes) == ("GM0002", "GM0003")
    with pytest.raises(KeyError):
        comparison_group("GM9999", classes)


def test_the_group_is_deterministic_whatever_the_order() -> None:
    rng = random.Random(4)
    spec = {f"GM{i:04d}": (rng.randint(1, 5), rng.randint(1, 5)) for i in range(1, 120)}
    classes = _classes(spec)
    shuffled = list(classes.items())
    rng.shuffle(shuffled)
    again = dict(shuffled)
    for code in list(classes)[:30]:
        first = comparison_group(code, classes)
        assert first == comparison_group(code, again)
        assert list(first) == sorted(first)
        assert len(first) >= 5
