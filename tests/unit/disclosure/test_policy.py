"""The disclosure policy: persons keep a threshold of at least 1; organisations may use 0."""

from __future__ import annotations

import pyarrow as pa
import pytest

from kansrijk.disclosure import (
    DisclosureError,
    DisclosurePolicy,
    apply_disclosure,
    check_publishable,
)
from kansrijk.disclosure.policy import ORGANISATIONS, THRESHOLD

from .synthetic import NO_HIERARCHY, Cell, literal_cells


def test_default_is_persons_with_threshold_10() -> None:
    policy = DisclosurePolicy()
    assert (policy.subject, policy.threshold) == ("persons", THRESHOLD)


@pytest.mark.parametrize("threshold", [0, -1])
def test_person_policy_refuses_a_threshold_below_one(threshold: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        DisclosurePolicy(threshold=threshold)
    with pytest.raises(ValueError, match="at least 1"):
        DisclosurePolicy(threshold=threshold, subject="persons")


def test_person_policy_with_a_lower_threshold_is_allowed() -> None:
    assert DisclosurePolicy(threshold=1, subject="persons").threshold == 1


def test_the_organisations_policy() -> None:
    assert (ORGANISATIONS.subject, ORGANISATIONS.threshold) == ("organisations", 0)
    assert DisclosurePolicy(threshold=0, subject="organisations") == ORGANISATIONS
    with pytest.raises(ValueError, match="negative"):
        DisclosurePolicy(threshold=-1, subject="organisations")
    with pytest.raises(ValueError, match="subject"):
        DisclosurePolicy(threshold=0, subject="households")  # type: ignore[arg-type]


def test_small_counts_publish_only_under_the_organisations_policy() -> None:
    cells = literal_cells([Cell(8, 36), Cell(0, 50, indicator_id="b")])
    hidden = apply_disclosure(cells, NO_HIERARCHY)
    assert hidden["suppressed"].to_pylist() == [True, True]
    shown = apply_disclosure(cells, NO_HIERARCHY, ORGANISATIONS)
    assert shown["suppressed"].to_pylist() == [False, False]
    assert shown["numerator"].to_pylist() == [8, 0]
    check_publishable(shown, ORGANISATIONS)
    with pytest.raises(DisclosureError, match="below 10"):
        check_publishable(shown)
    # missing counts are refused whatever the policy
    i = shown.schema.get_field_index("numerator")
    with pytest.raises(DisclosureError, match="missing"):
        check_publishable(shown.set_column(i, "numerator", pa.nulls(2, pa.int64())), ORGANISATIONS)
