"""Coalition-local client routes and coalition partners: a coordinator stores a variant (a new
version per save, linked to the base version, checked by the core's rules), its own entry
criteria included; referrals of the coalition's clients follow the variant (its partner type and
deadline), route proposals its criteria, and referrals go only to the coalition's partners."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.coordination import routes
from kansrijk.web.accounts.models import Organisation
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.care.models import ClientMember
from kansrijk.web.coalitions.models import CoalitionMunicipality, CoalitionPartner
from kansrijk.web.referrals import coalition
from kansrijk.web.referrals import services as referral_services
from kansrijk.web.referrals.models import LocalRoute, step_dicts
from tests.web import factories as f
from tests.web.care.builders import CALM, DEBTS, World, family, signal
from tests.web.coalitions import builders as b

pytestmark = pytest.mark.django_db


def _coalition(care: World, partners: list[Organisation]) -> int:
    """Amsterdam's coalition with ``partners`` (the municipality row exists once per module)."""
    gm = b.municipality("GM0363", "Amsterdam", province="Noord-Holland")
    made = b.coalition("Kansrijke Start Amsterdam")
    CoalitionMunicipality.objects.create(
        coalition=made, municipality=gm, valid_from=date(2019, 1, 1)
    )
    for org in partners:
        CoalitionPartner.objects.create(
            coalition=made, organisation=org, domain="social", valid_from=date(2019, 1, 1)
        )
    return made.pk


def _steps(route: routes.Route, days: int) -> dict[str, str]:
    """The variant form's POST data: the base route's steps with ``days`` for step 2."""
    data = {
        "title_nl": route.title_nl + " (Amsterdam)",
        "title_en": route.title_en + " (Amsterdam)",
        "step-TOTAL_FORMS": str(len(route.steps) + 1),
        "step-INITIAL_FORMS": str(len(route.steps)),
        "step-MIN_NUM_FORMS": "0",
        "step-MAX_NUM_FORMS": "12",
    }
    for i, s in enumerate(route.steps):
        data |= {
            f"step-{i}-title_nl": s.title_nl,
            f"step-{i}-title_en": s.title_en,
            f"step-{i}-partner_type": s.partner_type.value,
            f"step-{i}-response_days": str(days if s.order == 2 else s.response_days),
            f"step-{i}-shares": s.shares.value,
        }
    last = len(route.steps)
    data |= {f"step-{last}-partner_type": "jgz", f"step-{last}-response_days": "5"}
    data |= {f"step-{last}-shares": "family"}
    return data | _entry(routes.criteria_to_dicts(route.entry))


def _entry(criteria: list[dict[str, Any]], empty_rows: int = 1) -> dict[str, str]:
    """The entry criteria formset's POST data: one row per criterion (stored form), then
    ``empty_rows`` empty rows."""
    data = {
        "entry-TOTAL_FORMS": str(len(criteria) + empty_rows),
        "entry-INITIAL_FORMS": str(len(criteria)),
        "entry-MIN_NUM_FORMS": "0",
        "entry-MAX_NUM_FORMS": "12",
    }
    for i, criterion in enumerate(criteria):
        ((kind, value),) = criterion.items()
        data[f"entry-{i}-kind"] = kind
        if kind == "flag":
            data[f"entry-{i}-flag"] = str(value)
        elif kind != "status_holder":
            data[f"entry-{i}-number"] = str(value)
    return data


def test_a_coordinator_saves_versions_linked_to_the_base(care: World) -> None:
    pk = _coalition(care, [care.own_org, care.other_org])
    coordinator = care.users[Role.COORDINATOR]
    browser = f.signed_in(coordinator)
    base = routes.route("pregnant_debts")
    url = reverse("care:route_variant", args=["pregnant_debts"]) + f"?coalition={pk}"
    assert browser.get(url).status_code == 200
    assert browser.post(url, _steps(base, 2)).status_code == 302
    assert browser.post(url, _steps(base, 3)).status_code == 302
    versions = list(LocalRoute.objects.filter(code="pregnant_debts").order_by("version"))
    assert [(v.version, v.based_on_version) for v in versions] == [(1, base.version)] * 1 + [
        (2, base.version)
    ]
    assert all(v.entry is None for v in versions)  # the base's criteria are kept as null
    core = versions[-1].route()
    assert core.based_on == ("pregnant_debts", base.version) and core.entry == base.entry
    assert core.step(2).response_days == 3 and core.coalition == f"coalition-{pk}"
    page = browser.get(reverse("care:route", args=["pregnant_debts"]) + f"?coalition={pk}")
    assert "(Amsterdam)" in page.content.decode()


def test_an_invalid_variant_is_refused_and_nothing_is_stored(care: World) -> None:
    pk = _coalition(care, [care.own_org])
    browser = f.signed_in(care.users[Role.COORDINATOR])
    base = routes.route("pregnant_debts")
    data = _steps(base, 0)  # response days must be at least 1
    url = reverse("care:route_variant", args=["pregnant_debts"]) + f"?coalition={pk}"
    assert browser.post(url, data).status_code == 400
    assert not LocalRoute.objects.exists()


def test_professionals_read_routes_but_do_not_edit_them(care: World) -> None:
    pk = _coalition(care, [care.own_org])
    browser = f.signed_in(care.users[Role.PROFESSIONAL])
    assert browser.get(reverse("care:routes")).status_code == 200
    url = reverse("care:route_variant", args=["pregnant_debts"]) + f"?coalition={pk}"
    assert browser.get(url).status_code == 403
    analyst = f.signed_in(care.users[Role.MONITOR_ANALYST])
    assert analyst.get(reverse("care:routes")).status_code == 403


def test_referrals_go_to_coalition_partners_only(care: World) -> None:
    outsider = f.organisation("Wijkteam Elders", type=OrganisationType.DISTRICT_TEAM)
    _coalition(care, [care.own_org, care.other_org])
    today = timezone.localdate()
    targets = coalition.referral_targets("GM0363", care.other_org.pk, today)
    assert list(targets) == [care.own_org]
    # Without a coalition every care organisation is a target (the municipality of Utrecht).
    assert outsider in coalition.referral_targets("GM0344", care.other_org.pk, today)
    browser = f.signed_in(care.other_professional)
    response = browser.post(
        reverse("care:referral_new", args=[care.other.pk]),
        {"step": "pregnant_debts:2", "to_organisation": outsider.pk, "reason": "Schulden"},
    )
    assert response.status_code == 400


def test_a_referral_follows_the_local_variant(care: World) -> None:
    pk = _coalition(care, [care.own_org, care.other_org])
    base = routes.route("pregnant_debts")
    variant = coalition.save_variant(
        coalition.coalitions_of("GM0363", timezone.localdate()).get(pk=pk),
        base,
        care.users[Role.COORDINATOR],
        "Zwanger met schulden (A'dam)",
        "Pregnant with debts (A'dam)",
        [
            step | {"response_days": 3 if step["order"] == 2 else step["response_days"]}
            for step in step_dicts(base)
        ],
    )
    found = signal(care.other, care.other_professional)
    url = reverse("care:signal_refer", args=[care.other.pk, found.pk, "pregnant_debts", 2])
    browser = f.signed_in(care.other_professional)
    page = browser.get(url)
    assert page.status_code == 200
    response = browser.post(url, {"to_organisation": care.own_org.pk, "reason": "Schulden"})
    assert response.status_code == 302
    referral = care.other.referrals.get(to_organisation=care.own_org)
    assert referral.route_variant == variant
    expected = routes.deadline(timezone.localdate(), variant.route().step(2))
    assert referral.deadline == expected
    assert expected != routes.deadline(timezone.localdate(), base.step(2))
    direct = referral_services.create_referral(
        care.other,
        care.other_professional,
        to_organisation=care.own_org,
        route_code="pregnant_debts",
        route_step="2",
        reason="x",
        variant=variant,
    )
    assert direct.deadline == expected


# --- entry criteria of a local variant ----------------------------------------------------


TEENAGE = "teenage_pregnancy"


def _variant_url(pk: int, code: str = TEENAGE) -> str:
    return reverse("care:route_variant", args=[code]) + f"?coalition={pk}"


def test_a_coordinator_changes_the_entry_criteria(care: World) -> None:
    pk = _coalition(care, [care.own_org])
    browser = f.signed_in(care.users[Role.COORDINATOR])
    base = routes.route(TEENAGE)
    form = browser.get(_variant_url(pk))
    assert form.status_code == 200
    assert 'name="entry-1-number" value="20"' in form.content.decode()  # prefilled: the base's
    younger = [{"flag": "teenage"}, {"mother_younger_than": 23}]
    assert browser.post(_variant_url(pk), _steps(base, 9) | _entry(younger)).status_code == 302
    # Version 2 adds a criterion in the empty row and drops the flag (an emptied row).
    data = _steps(base, 9) | _entry(younger)
    data |= {"entry-0-kind": "", "entry-2-kind": "status_holder"}
    assert browser.post(_variant_url(pk), data).status_code == 302
    versions = list(LocalRoute.objects.filter(code=TEENAGE).order_by("version"))
    assert [(v.version, v.based_on_version) for v in versions] == [(1, 1), (2, 1)]
    assert versions[0].entry == younger
    assert versions[1].entry == [{"mother_younger_than": 23}, {"status_holder": True}]
    variant = versions[1].route()
    assert variant.entry == (routes.MotherYoungerThan(23), routes.IsStatusHolder())
    assert variant.based_on == (TEENAGE, base.version)
    # The form starts from the latest variant's criteria; the route page shows them.
    again = browser.get(_variant_url(pk)).content.decode()
    assert 'name="entry-0-number" value="23"' in again
    page = browser.get(reverse("care:route", args=[TEENAGE]) + f"?coalition={pk}").content.decode()
    assert routes.MotherYoungerThan(23).text_nl in page  # the variant's criteria
    assert routes.MotherYoungerThan(20).text_nl in page  # and the national route's


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"entry-0-kind": "flag", "entry-0-flag": "housing"}, (0, "flag")),  # no screening flag
        ({"entry-1-number": "31"}, (1, "number")),
        ({"entry-1-number": "11"}, (1, "number")),
        ({"entry-1-number": "twenty"}, (1, "number")),
        ({"entry-1-number": ""}, (1, "number")),
        ({"entry-0-flag": ""}, (0, "flag")),
        ({"entry-2-kind": "kraamzorg_not_arranged_by_week", "entry-2-number": "43"}, (2, "number")),
        ({"entry-2-kind": "kraamzorg_not_arranged_by_week", "entry-2-number": "0"}, (2, "number")),
        ({"entry-0-kind": "", "entry-1-kind": ""}, None),  # no criterion left
        ({"entry-1-kind": "flag", "entry-1-flag": "teenage"}, None),  # the flag twice
    ],
)
def test_invalid_entry_criteria_are_refused_and_nothing_is_stored(
    care: World, entry: dict[str, str], where: tuple[int, str] | None
) -> None:
    pk = _coalition(care, [care.own_org])
    browser = f.signed_in(care.users[Role.COORDINATOR])
    data = _steps(routes.route(TEENAGE), 9) | entry
    response = browser.post(_variant_url(pk), data)
    assert response.status_code == 400
    formset = response.context["entry"]
    if where is None:
        assert formset.non_form_errors() and not any(formset.errors)
        assert str(formset.non_form_errors()[0]) in response.content.decode()
    else:
        row, field = where
        assert list(formset.errors[row]) == [field]
        assert 'aria-invalid="true"' in response.content.decode()
    assert not LocalRoute.objects.exists()


def test_the_core_refuses_criteria_the_form_would_refuse(care: World) -> None:
    pk = _coalition(care, [care.own_org])
    base = routes.route(TEENAGE)
    found = coalition.coalitions_of("GM0363", timezone.localdate()).get(pk=pk)
    for entry in ([], [{"flag": "housing"}], [{"mother_younger_than": 40}], [{"flag": 3}]):
        with pytest.raises(routes.RouteError):
            coalition.save_variant(
                found, base, care.users[Role.COORDINATOR], "t", "t", step_dicts(base), entry
            )
    assert not LocalRoute.objects.exists()


def test_a_variants_criteria_decide_proposals_in_its_municipalities_only(care: World) -> None:
    pk = _coalition(care, [care.own_org])
    base = routes.route(TEENAGE)
    today = timezone.localdate()
    coalition.save_variant(
        coalition.coalitions_of("GM0363", today).get(pk=pk),
        base,
        care.users[Role.COORDINATOR],
        base.title_nl,
        base.title_en,
        step_dicts(base),
        [{"flag": "teenage"}, {"mother_younger_than": 23}],
    )
    due = today + timedelta(days=100)
    mother_21 = routes.Situation(
        on=today, due_date=due, mother_birth_date=due.replace(year=due.year - 21) - timedelta(1)
    )
    assert mother_21.mother_age_at_due_date == 21

    def proposed(municipality: str) -> set[str]:
        found = routes.routes_for(set(), mother_21, coalition.effective_routes(municipality, today))
        return {r.code for r in found}

    assert TEENAGE in proposed("GM0363")  # Amsterdam: the coalition's variant
    assert TEENAGE not in proposed("GM0344")  # Utrecht, without a coalition: the base route
    # The flag still proposes it everywhere.
    assert TEENAGE in {r.code for r in routes.routes_for({"teenage"})}

    # End to end: a signal about debts for a mother of 21 proposes the debts route everywhere,
    # and the teenage route only where the coalition's variant takes mothers under 23.
    def signal_for(municipality: str) -> list[str]:
        client = family(care.users[Role.PROFESSIONAL], "Tess", municipality)
        ClientMember.objects.filter(client=client, role="pregnant").update(
            due_date=due, date_of_birth=mother_21.mother_birth_date
        )
        return list(signal(client, care.users[Role.PROFESSIONAL], DEBTS).proposed_routes)

    assert signal_for("GM0363") == ["pregnant_debts", TEENAGE]
    assert signal_for("GM0344") == ["pregnant_debts"]
    calm = family(care.users[Role.PROFESSIONAL], "Tess", "GM0363")
    ClientMember.objects.filter(client=calm, role="pregnant").update(
        due_date=due, date_of_birth=mother_21.mother_birth_date
    )
    # No referral advised, nothing proposed, whatever the situation.
    assert signal(calm, care.users[Role.PROFESSIONAL], CALM).proposed_routes == []


def test_only_the_coordinator_edits_the_entry_criteria(care: World) -> None:
    pk = _coalition(care, [care.own_org])
    data = _steps(routes.route(TEENAGE), 9) | _entry([{"mother_younger_than": 23}])
    for role in (Role.PROFESSIONAL, Role.POLICY_ADVISOR):
        assert f.signed_in(care.users[role]).post(_variant_url(pk), data).status_code == 403
    assert not LocalRoute.objects.exists()


def test_the_empty_step_row_as_a_browser_posts_it(care: World) -> None:
    """A browser sends the empty row's selects with their first option: the row is still
    dropped; a step with a title but no response time is refused."""
    pk = _coalition(care, [care.own_org])
    browser = f.signed_in(care.users[Role.COORDINATOR])
    base = routes.route(TEENAGE)
    extra = len(base.steps)
    data = (
        _steps(base, 9)
        | _entry([{"flag": "teenage"}])
        | {
            f"step-{extra}-partner_type": "jgz",
            f"step-{extra}-shares": "family",
        }
    )
    data[f"step-{extra}-response_days"] = ""  # a browser sends the empty number field empty
    assert browser.post(_variant_url(pk), data).status_code == 302
    assert len(LocalRoute.objects.get().steps) == len(base.steps)
    data[f"step-{extra}-title_nl"] = "Nazorg"
    response = browser.post(_variant_url(pk), data)
    assert response.status_code == 400
    assert f"step-{extra}-response_days" in response.content.decode()
    assert LocalRoute.objects.count() == 1
