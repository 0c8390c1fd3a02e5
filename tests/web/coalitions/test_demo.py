"""The demo registry reproduces the demo plan's (published) counts through the services, and
its coalitions agree with the 2021 questionnaire answers."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import OrganisationType
from kansrijk.web.coalitions import services
from kansrijk.web.coalitions.models import (
    AgreementKind,
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    Intervention,
    PartnerDomain,
    PlanStatus,
    Scope,
)
from kansrijk.web.demo_plan import REGISTRY_DATES, demo_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_registry")]


def test_impuls_counts() -> None:
    assert len(services.impuls_municipalities(2021, date(2021, 9, 20))) == 273
    assert len(services.impuls_municipalities(2020, date(2020, 9, 15))) == 275
    assert len(services.impuls_municipalities(2019, date(2019, 9, 15))) == 147


@pytest.mark.parametrize(
    ("year", "centres", "joined", "voorzorg", "practices", "co"),
    [
        (2019, (50, 24), 66, (355, 117), (585, 194), (36, 8)),
        (2020, (50, 31), 104, (355, 130), (580, 203), (36, 8)),
        (2021, (50, 38), 138, (352, 150), (590, 229), (36, 9)),
    ],
)
def test_registry_counts_on_1_october(
    year: int,
    centres: tuple[int, int],
    joined: int,
    voorzorg: tuple[int, int],
    practices: tuple[int, int],
    co: tuple[int, int],
) -> None:
    def sizes(pair: tuple[set[str], set[str]] | tuple[set[int], set[int]]) -> tuple[int, int]:
        return len(pair[0]), len(pair[1])

    on = REGISTRY_DATES[year]
    assert sizes(services.nnz_centres(on)) == centres
    assert len(services.nnz_joined(on)) == joined
    assert sizes(services.voorzorg(year, on)) == voorzorg
    assert sizes(services.centering_practices(on)) == practices
    assert sizes(services.centering_ouderschap(on)) == co


def test_coalitions_agree_with_the_2021_answers() -> None:
    answers = demo_plan().answers[2021]
    expected = {
        code: a["coalition_status"]
        for code, a in answers.items()
        if a["coalition_status"] in ("formed", "preparing")
    }
    members = {
        m.municipality_id: m.coalition
        for m in CoalitionMunicipality.objects.select_related("coalition")
    }
    assert set(members) == expected.keys() | {"GM0363"}
    for code, status in expected.items():
        coalition = members[code]
        assert coalition.status == status
        assert coalition.status_on(date(2021, 9, 20)) == status
        plan = getattr(coalition, "plan", None)
        plan_status = answers[code]["plan_status"]
        if code != "GM0363":
            assert (plan.status if plan else "none") == plan_status
    assert Coalition.objects.filter(scope=Scope.REGIONAL).exists()
    assert Coalition.objects.filter(scope=Scope.LOCAL).exists()


def test_every_coalition_has_partners_across_domains_and_agreements() -> None:
    for coalition in Coalition.objects.prefetch_related("partners", "agreements"):
        current = [p for p in coalition.partners.all() if p.valid_to is None]
        if coalition.name != "Kansrijke Start Amsterdam":
            assert 4 <= len(current) <= 8, coalition
            assert 1 <= len(coalition.agreements.all()) <= 3
        assert {p.domain for p in current} >= {"medical", "social", "municipal_department"}
    assert CoalitionPartner.objects.filter(valid_to__isnull=False).exists()


def test_amsterdam_is_the_rich_example() -> None:
    amsterdam = Coalition.objects.get(memberships__municipality="GM0363")
    assert (amsterdam.scope, amsterdam.status) == (Scope.LOCAL, "formed")
    domains = set(amsterdam.partners.values_list("domain", flat=True))
    assert domains == set(PartnerDomain.values)
    assert set(amsterdam.agreements.values_list("kind", flat=True)) == set(AgreementKind.values)
    assert amsterdam.plan.status == PlanStatus.FINISHED
    kinds = Counter(amsterdam.plan.items.values_list("kind", flat=True))
    assert kinds["goal"] >= 2 and kinds["ambition"] >= 1 and kinds["activity"] >= 3
    assert amsterdam.plan.items.filter(intervention__isnull=False).exists()
    status = services.municipality_status("GM0363", 2021)
    assert status["coalitions"][0]["status_in_year"] == "formed"
    assert status["impuls"] is not None


def test_organisations_are_as_planned() -> None:
    def count(kind: str) -> int:
        return Organisation.objects.filter(type=kind).count()

    assert count(OrganisationType.MIDWIFERY) == 600
    assert count(OrganisationType.JGZ) == 36
    municipalities = Organisation.objects.filter(type=OrganisationType.MUNICIPALITY)
    assert municipalities.get(municipality_code="GM0363").name == "Gemeente Amsterdam"
    assert municipalities.filter(municipality_code="GM0457").exists()  # Weesp, until 2022
    assert not municipalities.filter(municipality_code="GM0010").exists()  # merged in 2021
    agb = [a for a in Organisation.objects.values_list("agb_code", flat=True) if a]
    assert len(agb) == len(set(agb)) and all(len(a) == 8 and a.isdigit() for a in agb)
    assert Organisation.objects.filter(name="Verloskundigenpraktijk 1").count() == 1
    for kind in (
        OrganisationType.GGD,
        OrganisationType.KRAAMZORG,
        OrganisationType.DISTRICT_TEAM,
        OrganisationType.DEBT_COUNSELLING,
        OrganisationType.GP,
        OrganisationType.HOSPITAL,
        OrganisationType.WELFARE,
        OrganisationType.COMMUNITY,
        OrganisationType.LIVED_EXPERIENCE,
    ):
        assert count(kind) >= 1, kind


def test_the_menu_is_shipped() -> None:
    codes = set(Intervention.objects.values_list("code", flat=True))
    assert 8 <= len(codes) <= 14
    assert {
        "nu-niet-zwanger",
        "preconceptiezorg",
        "centering-zwangerschap",
        "phb-jgz",
        "voorzorg",
        "stevig-ouderschap",
        "centering-ouderschap",
        "pop-poli",
        "samen-starten",
    } <= codes
