"""Every service function on small hand-made registries, including the validity boundaries:
a period that starts on the reference day counts, one that ended the day before does not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions import menu, services
from kansrijk.web.coalitions.models import (
    Agreement,
    CenteringTraining,
    CentreMunicipality,
    CoalitionMunicipality,
    CoalitionPartner,
    CoalitionStatus,
    ImpulsApplication,
    InterventionOffer,
    OfferRole,
    PartnerDomain,
    PlanOfAction,
    PlanStatus,
)
from tests.web import factories as f
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db

ON = date(2021, 10, 1)
DAY_BEFORE = ON - timedelta(days=1)
DAY_AFTER = ON + timedelta(days=1)


def test_municipality_codes_are_those_of_1_january() -> None:
    b.municipality("GM0001", valid_to=date(2020, 12, 31))  # merged away on 1 January 2021
    b.municipality("GM0002", valid_from=date(2021, 1, 1))  # created by that merger
    b.municipality("GM0003")
    assert services.municipality_codes(2020) == {"GM0001", "GM0003"}
    assert services.municipality_codes(2021) == {"GM0002", "GM0003"}


def test_impuls_on_or_before_the_day_in_municipalities_of_the_year() -> None:
    on_day, late, gone, t1 = (
        b.municipality("GM0001"),
        b.municipality("GM0002"),
        b.municipality("GM0003", valid_to=date(2020, 12, 31)),
        b.municipality("GM0004"),
    )
    ImpulsApplication.objects.create(municipality=on_day, tranche=3, granted_on=ON)
    ImpulsApplication.objects.create(municipality=late, tranche=3, granted_on=DAY_AFTER)
    ImpulsApplication.objects.create(municipality=gone, tranche=1, granted_on=date(2019, 3, 1))
    ImpulsApplication.objects.create(municipality=t1, tranche=1, granted_on=date(2019, 3, 1))
    ImpulsApplication.objects.create(municipality=t1, tranche=2, granted_on=date(2019, 6, 1))
    assert services.impuls_municipalities(2021, ON) == {"GM0001", "GM0004"}
    assert services.impuls_municipalities(2020, ON) == {"GM0001", "GM0003", "GM0004"}
    assert services.impuls_municipalities(2021, DAY_BEFORE) == {"GM0004"}


@pytest.fixture
def nnz_registry() -> None:
    nnz = b.intervention(menu.NU_NIET_ZWANGER, phase_before=True, phase_during=False)
    codes = [f"GM000{i}" for i in range(1, 10)]
    m = {code: b.municipality(code) for code in codes}
    for code in codes[:4]:
        CentreMunicipality.objects.create(municipality=m[code], valid_from=date(2015, 1, 1))
    # GM0005 was a centre until the day before: neither a centre nor started on the day.
    CentreMunicipality.objects.create(
        municipality=m["GM0005"], valid_from=date(2015, 1, 1), valid_to=DAY_BEFORE
    )
    centre, joined = OfferRole.CENTRE, OfferRole.JOINED
    b.offer(nnz, ON, municipality=m["GM0001"], role=centre)  # starts on the day
    b.offer(nnz, date(2019, 1, 1), municipality=m["GM0002"], role=centre)
    b.offer(nnz, date(2019, 1, 1), ON, municipality=m["GM0003"], role=centre)  # ended before
    b.offer(nnz, DAY_AFTER, municipality=m["GM0004"], role=centre)  # not yet
    b.offer(nnz, date(2019, 1, 1), municipality=m["GM0005"], role=centre)  # no longer a centre
    b.offer(nnz, ON, municipality=m["GM0006"], role=joined)
    b.offer(nnz, date(2019, 1, 1), ON, municipality=m["GM0007"], role=joined)  # ended before
    b.offer(nnz, date(2020, 1, 1), date(2030, 1, 1), municipality=m["GM0008"], role=joined)
    other = b.intervention("voorzorg")
    b.offer(other, date(2019, 1, 1), municipality=m["GM0009"], role=joined)  # not NNZ


@pytest.mark.usefixtures("nnz_registry")
def test_nnz_centres_and_started() -> None:
    centres, started = services.nnz_centres(ON)
    assert centres == {"GM0001", "GM0002", "GM0003", "GM0004"}
    assert started == {"GM0001", "GM0002"}
    assert services.nnz_centres(DAY_BEFORE) == (
        {"GM0001", "GM0002", "GM0003", "GM0004", "GM0005"},
        {"GM0002", "GM0003", "GM0005"},
    )


@pytest.mark.usefixtures("nnz_registry")
def test_nnz_joined() -> None:
    assert services.nnz_joined(ON) == {"GM0006", "GM0008"}
    assert services.nnz_joined(DAY_BEFORE) == {"GM0007", "GM0008"}


def test_voorzorg_in_the_municipalities_of_the_year() -> None:
    voorzorg = b.intervention(menu.VOORZORG)
    m1, m2, m3 = (b.municipality(c) for c in ("GM0001", "GM0002", "GM0003"))
    gone = b.municipality("GM0004", valid_to=date(2020, 12, 31))
    b.offer(voorzorg, ON, municipality=m1)
    b.offer(voorzorg, date(2018, 1, 1), ON, municipality=m2)
    b.offer(voorzorg, date(2018, 1, 1), municipality=gone)
    b.offer(b.intervention("other"), date(2018, 1, 1), municipality=m3)
    assert services.voorzorg(2021, ON) == ({"GM0001", "GM0002", "GM0003"}, {"GM0001"})
    assert services.voorzorg(2021, DAY_BEFORE) == ({"GM0001", "GM0002", "GM0003"}, {"GM0002"})
    assert services.voorzorg(2020, DAY_BEFORE)[1] == {"GM0002", "GM0004"}


def test_centering_practices_active_and_trained() -> None:
    def practice(**fields: object) -> int:
        org = f.organisation(type=OrganisationType.MIDWIFERY, **fields)  # type: ignore[arg-type]
        return org.pk

    opens, trained_on_day, closed, later, untrained = (
        practice(valid_from=ON),
        practice(),
        practice(valid_to=DAY_BEFORE),
        practice(),
        practice(),
    )
    f.organisation(type=OrganisationType.JGZ)  # not a practice
    for pk, day in ((trained_on_day, ON), (closed, date(2019, 1, 1)), (later, DAY_AFTER)):
        CenteringTraining.objects.create(organisation_id=pk, trained_on=day)
    CenteringTraining.objects.create(organisation_id=trained_on_day, trained_on=date(2018, 1, 1))
    active, trained = services.centering_practices(ON)
    assert active == {opens, trained_on_day, later, untrained}
    assert trained == {trained_on_day}
    assert services.centering_practices(DAY_BEFORE) == (
        {closed, trained_on_day, later, untrained},
        {closed, trained_on_day},
    )


def test_centering_ouderschap_by_jgz_organisations() -> None:
    co = b.intervention(menu.CENTERING_PARENTING, phase_after=True, phase_during=False)
    jgz = [f.organisation(type=OrganisationType.JGZ) for _ in range(4)]
    gone = f.organisation(type=OrganisationType.JGZ, valid_to=DAY_BEFORE)
    for org, start, end in (
        (jgz[0], ON, None),
        (jgz[1], date(2018, 1, 1), ON),
        (jgz[2], DAY_AFTER, None),
        (gone, date(2018, 1, 1), None),
    ):
        InterventionOffer.objects.create(intervention=co, organisation=org, start=start, end=end)
    active, offering = services.centering_ouderschap(ON)
    assert active == {o.pk for o in jgz}
    assert offering == {jgz[0].pk}
    assert services.centering_ouderschap(DAY_BEFORE)[1] == {jgz[1].pk, gone.pk}


def test_municipality_status_in_a_year() -> None:
    m = b.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    ImpulsApplication.objects.create(municipality=m, tranche=1, granted_on=date(2019, 3, 2))
    c = b.coalition(
        "Kansrijke Start Amsterdam",
        status=CoalitionStatus.FORMED,
        preparing_since=date(2019, 1, 1),
        formed_on=date(2021, 2, 1),
    )
    CoalitionMunicipality.objects.create(coalition=c, municipality=m, valid_from=date(2019, 1, 1))
    PlanOfAction.objects.create(
        coalition=c, status=PlanStatus.FINISHED, adopted_on=date(2021, 6, 1)
    )
    city = f.organisation("Gemeente Amsterdam")
    jgz = f.organisation("JGZ A", type=OrganisationType.JGZ)
    left = f.organisation("Practice that left", type=OrganisationType.MIDWIFERY)
    for org, domain, start, end in (
        (city, PartnerDomain.MUNICIPAL_DEPARTMENT, date(2019, 1, 1), None),
        (jgz, PartnerDomain.MEDICAL, date(2019, 1, 1), None),
        (left, PartnerDomain.MEDICAL, date(2019, 1, 1), date(2020, 12, 31)),
    ):
        CoalitionPartner.objects.create(
            coalition=c, organisation=org, domain=domain, valid_from=start, valid_to=end
        )
    Agreement.objects.create(
        coalition=c, kind="referral", level="policy", title="Route", agreed_on=date(2021, 3, 1)
    )
    voorzorg = b.intervention(menu.VOORZORG, name="VoorZorg")
    b.offer(voorzorg, date(2020, 5, 1), municipality=m, organisation=jgz)
    b.offer(b.intervention("old"), date(2018, 1, 1), date(2021, 1, 1), municipality=m)

    status = services.municipality_status("GM0363", 2021)
    assert status["exists"] and status["name"] == "Amsterdam"
    assert status["impuls"] == {"tranche": 1, "granted_on": date(2019, 3, 2)}
    (coalition,) = status["coalitions"]
    assert coalition["name"] == "Kansrijke Start Amsterdam"
    assert coalition["status_in_year"] == "formed" and coalition["plan_status"] == "finished"
    assert coalition["partners"] == {
        "medical": ["JGZ A"],
        "municipal_department": ["Gemeente Amsterdam"],
    }
    assert [(o["code"], o["organisation"]) for o in status["interventions"]] == [
        ("voorzorg", "JGZ A")
    ]
    earlier = services.municipality_status("GM0363", 2020)
    assert earlier["coalitions"][0]["status_in_year"] == "preparing"
    assert set(earlier["coalitions"][0]["partners"]["medical"]) == {"JGZ A", "Practice that left"}
    assert {o["code"] for o in earlier["interventions"]} == {"voorzorg", "old"}
    before = services.municipality_status("GM0363", 2018)
    assert before["impuls"] is None and before["coalitions"] == []
