"""The synthetic Gezondheidsmonitor sample: schema, determinism, and that it reproduces the
published class sizes and item profiles within sampling error."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from kansrijk.synth import survey
from kansrijk.synth.survey import (
    ID_COLUMN,
    MISSING,
    TRUTH_COLUMN,
    VULNERABLE_MISSING,
    check_profiles,
    generate_survey,
)
from kansrijk.vulnerability.items import CLASSES, ITEMS, PUBLISHED

LARGE = 60_000


@pytest.fixture(scope="module")
def large() -> pa.Table:
    return generate_survey(LARGE, seed=11)


def test_schema_and_identifiers() -> None:
    table = generate_survey(500, seed=1)
    assert table.column_names == [ID_COLUMN, *(i.name for i in ITEMS), TRUTH_COLUMN]
    assert all(table.schema.field(i.name).type == pa.int8() for i in ITEMS)
    ids = table[ID_COLUMN].to_pylist()
    assert len(set(ids)) == 500
    assert all(i.startswith("G") and len(i) == 20 for i in ids)
    truth = table.schema.field(TRUTH_COLUMN)
    assert truth.metadata[b"synthetic_only"] == b"true"
    assert b"kansrijk.survey" in table.schema.metadata


def test_same_seed_same_table_other_seed_other_table() -> None:
    assert generate_survey(300, seed=5).equals(generate_survey(300, seed=5))
    assert not generate_survey(300, seed=5).equals(generate_survey(300, seed=6))


def test_codes_are_within_categories(large: pa.Table) -> None:
    for item in ITEMS:
        values = large[item.name].drop_null().to_numpy()
        assert values.min() >= 0
        assert values.max() == item.n_categories - 1, item.name


def test_class_sizes_match_the_published_shares(large: pa.Table) -> None:
    truth = large[TRUTH_COLUMN].to_numpy()
    shares = np.bincount(truth, minlength=6)[1:] / LARGE
    published = np.array([c.share for c in CLASSES])
    se = np.sqrt(published * (1 - published) / LARGE)
    assert np.all(np.abs(shares - published) < 4 * se + 1e-3), shares


def test_published_item_profiles_are_reproduced(large: pa.Table) -> None:
    truth = large[TRUTH_COLUMN].to_numpy()
    off = []
    for cell in PUBLISHED:
        answers = large[cell.item].to_numpy(zero_copy_only=False)
        answered = (truth == cell.class_number) & ~np.isnan(answers.astype(float))
        observed = float(np.mean(answers[answered] == cell.category))
        se = np.sqrt(max(cell.value * (1 - cell.value), 0.01) / answered.sum())
        if abs(observed - cell.value) > 4 * se:
            off.append((cell, observed))
    assert not off


def test_missingness_is_item_and_class_specific(large: pa.Table) -> None:
    truth = large[TRUTH_COLUMN].to_numpy()
    vulnerable = np.isin(truth, (1, 3))
    for item in ITEMS:
        rate = MISSING.get(item.name, 0.0)
        missing = large[item.name].is_null().to_numpy(zero_copy_only=False)
        if rate == 0.0:
            assert not missing.any(), item.name
            continue
        expected_stable = rate  # plus the education excess for non-Western women
        observed_stable = missing[truth == 5].mean()
        if item.name != "education":
            se = np.sqrt(rate / (truth == 5).sum())
            assert abs(observed_stable - expected_stable) < 4 * se, item.name
            observed_vulnerable = missing[vulnerable].mean()
            se_v = np.sqrt(rate * VULNERABLE_MISSING / vulnerable.sum())
            assert abs(observed_vulnerable - rate * VULNERABLE_MISSING) < 4 * se_v, item.name
    education = large["education"].is_null().to_numpy(zero_copy_only=False)
    non_western = large["migration_background"].to_numpy(zero_copy_only=False) == 2
    assert education[non_western].mean() > education[~non_western].mean() + 0.05
    # Sensitive survey items are missing more often than the registry items.
    sensitive = large["depression_anxiety_risk"].null_count
    assert sensitive > 3 * large["socioeconomic_status"].null_count


def test_every_item_has_a_profile_and_published_cells_are_respected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check_profiles()
    # A chosen value may change; a published one may not.
    monkeypatch.setitem(survey.PROFILES, "rented_home", (0.60, 0.10, 0.58, 0.36, 0.10))
    with pytest.raises(ValueError, match=r"rented_home.*published 0\.64"):
        check_profiles()


def test_profiles_must_sum_to_one(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = ((0.5, 0.5, 0.1),) * 5
    monkeypatch.setitem(survey.PROFILES, "age_group", bad)
    with pytest.raises(ValueError, match="sum to 1"):
        check_profiles()


def test_rejects_an_empty_sample() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_survey(0)
