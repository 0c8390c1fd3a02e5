"""Data categories, record kinds and partner types."""

from __future__ import annotations

import pytest

from kansrijk.coordination import (
    HEALTH_CATEGORIES,
    RECORD_CATEGORIES,
    DataCategory,
    PartnerType,
    RecordKind,
    categories_for,
)


def test_every_category_has_both_labels() -> None:
    for c in DataCategory:
        assert c.label_nl and c.label_en and c.label_nl != c.value
        assert c.label("en") == c.label_en and c.label() == c.label_nl
    assert DataCategory.MEDICAL.label_nl == "Medisch en verloskundig"


def test_health_categories() -> None:
    expected = {DataCategory.MEDICAL, DataCategory.PSYCHOSOCIAL, DataCategory.LIFESTYLE}
    assert expected == HEALTH_CATEGORIES
    assert DataCategory.MEDICAL.health and not DataCategory.FINANCIAL.health


def test_every_record_kind_carries_identity() -> None:
    assert set(RECORD_CATEGORIES) == set(RecordKind)
    for kind in RecordKind:
        assert DataCategory.IDENTITY in categories_for(kind)


def test_categories_for_a_record() -> None:
    assert categories_for(RecordKind.REFERRAL, [DataCategory.FINANCIAL]) == {
        DataCategory.IDENTITY,
        DataCategory.CARE_COORDINATION,
        DataCategory.FINANCIAL,
    }
    assert categories_for(RecordKind.SIGNAL, ["medical"]) == {  # type: ignore[list-item]
        DataCategory.IDENTITY,
        DataCategory.MEDICAL,
    }
    with pytest.raises(ValueError, match="a signal record cannot carry the categories care_coord"):
        categories_for(RecordKind.SIGNAL, [DataCategory.CARE_COORDINATION])


def test_partner_types_equal_the_platforms_organisation_types() -> None:
    """The core repeats the web app's values (it may not import Django): keep them equal."""
    from kansrijk.web.accounts.roles import OrganisationType

    assert [p.value for p in PartnerType] == [o.value for o in OrganisationType]
    assert all(p.label_nl and p.label_en for p in PartnerType)
