"""IOTF cut-offs, hand-checked against the shipped tables."""

from __future__ import annotations

import pytest

from kansrijk.reference import bmi, iotf_cutoff, iotf_cutoff_lms, is_overweight


def test_table_values_at_age_2() -> None:
    assert iotf_cutoff("M", 2) == pytest.approx(18.41)
    assert iotf_cutoff("M", 2, edition="2012") == pytest.approx(18.36)
    assert iotf_cutoff("M", 2, "obesity") == pytest.approx(20.09)
    assert iotf_cutoff("M", 2, "obesity", "2012") == pytest.approx(19.99)
    assert iotf_cutoff("F", 2, "overweight", "2012") == pytest.approx(18.09)
    assert iotf_cutoff("M", 2, "thinness3") == pytest.approx(13.37)
    assert iotf_cutoff("M", 2, "morbid_obesity", "2012") == pytest.approx(21.2)


def test_interpolation_between_half_years() -> None:
    # male overweight 2000: age 2 -> 18.41, age 2.5 -> 18.13
    assert iotf_cutoff("M", 2.25) == pytest.approx((18.41 + 18.13) / 2)
    assert iotf_cutoff("M", 2.5) == pytest.approx(18.13)
    # 2012 thinness1: 15.24 at 2, 15.02 at 2.5
    assert iotf_cutoff("M", 2.4, "thinness1", "2012") == pytest.approx(
        15.24 + 0.8 * (15.02 - 15.24)
    )


def test_adult_values_at_18() -> None:
    assert iotf_cutoff("M", 18) == pytest.approx(25.0, abs=0.01)
    assert iotf_cutoff("F", 18, "obesity", "2012") == pytest.approx(30.0, abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sex": "M", "age_years": 1.99}, "outside"),
        ({"sex": "M", "age_years": 18.01}, "outside"),
        ({"sex": "X", "age_years": 5}, "sex"),
        ({"sex": "M", "age_years": 5, "cutoff": "morbid_obesity"}, "not in edition 2000"),
        ({"sex": "M", "age_years": 5, "edition": "2007"}, "edition"),
    ],
)
def test_invalid_input(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        iotf_cutoff(**kwargs)  # type: ignore[arg-type]


def test_lms_reproduces_the_2012_table() -> None:
    # z is chosen so that age 18 gives the adult value exactly.
    assert iotf_cutoff_lms("M", 18, 25) == pytest.approx(25.0)
    assert iotf_cutoff_lms("F", 18, 30) == pytest.approx(30.0)
    for sex in ("M", "F"):
        for age in (2, 5.5, 10, 14.5):
            for adult, cutoff in ((25, "overweight"), (30, "obesity"), (17, "thinness2")):
                table = iotf_cutoff(sex, age, cutoff, "2012")
                assert iotf_cutoff_lms(sex, age, adult) == pytest.approx(table, abs=0.02)
    with pytest.raises(ValueError, match="outside"):
        iotf_cutoff_lms("M", 1.5, 25)


def test_is_overweight_and_bmi() -> None:
    assert is_overweight("M", 2, 18.41)
    assert not is_overweight("M", 2, 18.40)
    assert is_overweight("M", 2, 18.37, edition="2012")
    assert not is_overweight("M", 2, 18.37)
    assert bmi(20, 100) == pytest.approx(20.0)
    assert bmi(70, 175) == pytest.approx(22.857, abs=1e-3)
    with pytest.raises(ValueError, match="height"):
        bmi(70, 0)
