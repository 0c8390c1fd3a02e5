"""Model rules: validity periods, check constraints, statuses on a day."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions.models import (
    CenteringTraining,
    CentreMunicipality,
    CoalitionMunicipality,
    CoalitionPartner,
    CoalitionStatus,
    ImpulsApplication,
    Intervention,
    InterventionOffer,
    Municipality,
    MunicipalityMerger,
    PartnerDomain,
)
from tests.web import factories as f
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db


def _rejected(create: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()  # type: ignore[operator]


def test_periods_must_not_end_before_they_start() -> None:
    m = b.municipality("GM0001")
    c = b.coalition()
    org = f.organisation()
    _rejected(
        lambda: b.municipality("GM0002", valid_from=date(2020, 1, 1), valid_to=date(2019, 1, 1))
    )
    _rejected(
        lambda: CoalitionMunicipality.objects.create(
            coalition=c, municipality=m, valid_from=date(2021, 1, 2), valid_to=date(2021, 1, 1)
        )
    )
    _rejected(
        lambda: CoalitionPartner.objects.create(
            coalition=c,
            organisation=org,
            domain=PartnerDomain.SOCIAL,
            valid_from=date(2021, 1, 2),
            valid_to=date(2021, 1, 1),
        )
    )
    _rejected(
        lambda: CentreMunicipality.objects.create(
            municipality=m, valid_from=date(2021, 1, 2), valid_to=date(2021, 1, 1)
        )
    )
    # A one-day period is fine.
    CoalitionMunicipality.objects.create(
        coalition=c, municipality=m, valid_from=date(2021, 1, 1), valid_to=date(2021, 1, 1)
    )


def test_offer_needs_a_municipality_or_an_organisation_and_a_positive_period() -> None:
    nnz = b.intervention("nu-niet-zwanger")
    m = b.municipality("GM0001")
    _rejected(lambda: InterventionOffer.objects.create(intervention=nnz, start=date(2020, 1, 1)))
    _rejected(lambda: b.offer(nnz, date(2020, 1, 1), date(2020, 1, 1), municipality=m))
    _rejected(lambda: b.offer(nnz, date(2020, 1, 1), municipality=m, role="other"))
    by_org = InterventionOffer.objects.create(
        intervention=nnz,
        organisation=f.organisation(type=OrganisationType.GGD),
        start=date(2020, 1, 1),
    )
    assert by_org.active_on(date(2020, 1, 1))


def test_other_check_constraints() -> None:
    m = b.municipality("GM0001")
    _rejected(
        lambda: MunicipalityMerger.objects.create(
            effective_date=date(2021, 1, 1), old=m, new=m, share="whole"
        )
    )
    _rejected(
        lambda: ImpulsApplication.objects.create(
            municipality=m, tranche=4, granted_on=date(2020, 1, 1)
        )
    )
    _rejected(lambda: Intervention.objects.create(code="none", name="No phase", domain="medical"))
    practice = f.organisation(type=OrganisationType.MIDWIFERY, municipality_code="GM0001")
    _rejected(
        lambda: CenteringTraining.objects.create(
            organisation=practice, trained_on=date(2020, 1, 1), midwives=0
        )
    )
    ImpulsApplication.objects.create(municipality=m, tranche=1, granted_on=date(2019, 3, 1))
    _rejected(
        lambda: ImpulsApplication.objects.create(
            municipality=m, tranche=1, granted_on=date(2019, 4, 1)
        )
    )
    _rejected(lambda: b.coalition(preparing_since=date(2021, 1, 1), formed_on=date(2020, 12, 31)))


def test_existing_on_and_in_year_use_inclusive_periods() -> None:
    b.municipality("GM0001", valid_to=date(2020, 12, 31))
    b.municipality("GM0002", valid_from=date(2021, 1, 1))
    b.municipality("GM0003", valid_to=date(2022, 3, 23))
    assert set(Municipality.objects.in_year(2020).values_list("code", flat=True)) == {
        "GM0001",
        "GM0003",
    }
    assert set(Municipality.in_year(2021).values_list("code", flat=True)) == {"GM0002", "GM0003"}
    on = Municipality.objects.existing_on
    assert set(on(date(2022, 3, 23)).values_list("code", flat=True)) == {"GM0002", "GM0003"}
    assert set(on(date(2022, 3, 24)).values_list("code", flat=True)) == {"GM0002"}


def test_coalition_status_on_a_day() -> None:
    c = b.coalition(
        status=CoalitionStatus.FORMED, preparing_since=date(2019, 5, 1), formed_on=date(2020, 6, 1)
    )
    assert c.status_on(date(2019, 4, 30)) == "none"
    assert c.status_on(date(2019, 5, 1)) == "preparing"
    assert c.status_on(date(2020, 5, 31)) == "preparing"
    assert c.status_on(date(2020, 6, 1)) == "formed"
    undated = b.coalition("Undated", status=CoalitionStatus.PREPARING)
    assert undated.status_on(date(2019, 1, 1)) == "preparing"
    assert b.coalition("None").status_on(date(2021, 1, 1)) == "none"


def test_str_is_readable() -> None:
    m = b.municipality("GM0363", "Amsterdam")
    assert str(m) == "Amsterdam (GM0363)"
    assert str(b.intervention("voorzorg", name="VoorZorg")) == "VoorZorg"
    assert str(b.coalition("Kansrijke Start Amsterdam")) == "Kansrijke Start Amsterdam"


def test_changes_are_kept_in_history() -> None:
    c = b.coalition(status=CoalitionStatus.PREPARING, preparing_since=date(2020, 1, 1))
    c.status, c.formed_on = CoalitionStatus.FORMED, date(2021, 1, 1)
    c.save()
    new, old = c.history.all()[:2]
    delta = new.diff_against(old)
    assert {change.field for change in delta.changes} == {"status", "formed_on"}
    assert old.status == "preparing" and new.status == "formed"
