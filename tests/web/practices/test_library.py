"""The practice library through its pages: a coalition's member describes, changes and
publishes a practice; members of other coalitions cannot touch it (tried as an attacker
would); everyone finds published practices by search and each filter; "coalitions like mine"
uses the local monitor's comparison group (``Publication.comparison_group``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import pytest
from django.urls import reverse
from django.utils import timezone

from kansrijk.publication import Publication
from kansrijk.web import policy
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.coalitions.models import (
    Coalition,
    CoalitionMunicipality,
    CoalitionPartner,
    Municipality,
    PartnerDomain,
)
from kansrijk.web.monitor import store
from kansrijk.web.practices import services
from kansrijk.web.practices.models import Phase, Practice, Status, Theme
from tests.web import factories as f
from tests.web.coalitions import builders as cb

pytestmark = pytest.mark.django_db

START = date(2019, 1, 1)


@dataclass
class Library:
    amsterdam: Coalition
    utrecht: Coalition
    partner: Organisation
    coordinator: User  # of Amsterdam (its municipality)
    midwife: User  # of a partner of Amsterdam
    other: User  # coordinator of Utrecht
    analyst: User  # no coalition


def _coalition(name: str, *codes: str) -> Coalition:
    coalition = cb.coalition(name)
    for code in codes:
        municipality = Municipality.objects.filter(code=code).first() or cb.municipality(
            code, f"Gemeente {code}"
        )
        CoalitionMunicipality.objects.create(
            coalition=coalition, municipality=municipality, valid_from=START
        )
    return coalition


@pytest.fixture
def lib() -> Library:
    amsterdam = _coalition("Kansrijke Start Amsterdam", "GM0363")
    utrecht = _coalition("Kansrijke Start Utrecht", "GM0344")
    partner = f.organisation("Verloskundigen Oost", type=OrganisationType.MIDWIFERY)
    CoalitionPartner.objects.create(
        coalition=amsterdam,
        organisation=partner,
        domain=PartnerDomain.MEDICAL,
        valid_from=START,
    )
    return Library(
        amsterdam,
        utrecht,
        partner,
        f.user(Role.COORDINATOR, f.organisation("Gemeente Amsterdam", municipality_code="GM0363")),
        f.user(Role.PROFESSIONAL, partner),
        f.user(Role.COORDINATOR, f.organisation("Gemeente Utrecht", municipality_code="GM0344")),
        f.user(Role.MONITOR_ANALYST, f.organisation("RIVM", type=OrganisationType.NATIONAL)),
    )


def _practice(coalition: Coalition, title: str, **fields: Any) -> Practice:
    published = fields.pop("published", True)
    defaults: dict[str, Any] = {
        "problem": "Zwangeren met geldzorgen komen laat in beeld.",
        "activity": "Verloskundigen vragen naar geldzorgen bij de intake.",
        "results": "",
        "phase": Phase.DURING,
        "theme": Theme.FINANCIAL,
        "contact_address": "kansrijkestart@example.org",
        "status": Status.PUBLISHED if published else Status.DRAFT,
    }
    if published:
        defaults["published_at"] = timezone.now()
    return Practice.objects.create(coalition=coalition, title=title, **(defaults | fields))


def _form(coalition: Coalition, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "coalition": coalition.pk,
        "title": "Schuldhulp aan tafel",
        "problem": "Zwangeren met geldzorgen kwamen pas laat bij schuldhulp.",
        "activity": "Een gesprek met schuldhulp binnen twee weken na de intake.",
        "results": "De wachttijd daalde van zes naar twee weken.",
        "phase": Phase.DURING,
        "theme": Theme.FINANCIAL,
        "client_route": "pregnant_debts",
        "indicators": ["2024-10"],
        "contact_address": "kansrijkestart@amsterdam.example.org",
    }
    return data | changes


# --- Create, change, publish: own coalition only ----------------------------------------------


def test_a_member_creates_changes_and_publishes(lib: Library) -> None:
    browser = f.signed_in(lib.midwife)
    response = browser.post(
        reverse("practices:new"), _form(lib.amsterdam, partners=[lib.partner.pk])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    practice = Practice.objects.get()
    assert practice.status == Status.DRAFT and practice.coalition == lib.amsterdam
    assert list(practice.partners.all()) == [lib.partner]
    assert practice.indicators == ["2024-10"] and practice.client_route == "pregnant_debts"
    # A draft: the member's coalition sees it, nobody else does (404).
    detail = reverse("practices:detail", kwargs={"practice_pk": practice.pk})
    assert f.signed_in(lib.coordinator).get(detail).status_code == 200
    assert f.signed_in(lib.other).get(detail).status_code == 404
    assert f.signed_in(lib.analyst).get(detail).status_code == 404
    edit = reverse("practices:edit", kwargs={"practice_pk": practice.pk})
    response = browser.post(edit, _form(lib.amsterdam, title="Schuldhulp bij de intake"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Schuldhulp bij de intake"
    assert practice.history.count() >= 2  # type: ignore[attr-defined]
    publish = reverse("practices:publish", kwargs={"practice_pk": practice.pk})
    assert f.signed_in(lib.coordinator).post(publish).status_code == 302
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED and practice.published_at is not None
    for user in (lib.other, lib.analyst):
        page = f.signed_in(user).get(detail)
        assert page.status_code == 200 and "Schuldhulp bij de intake" in page.content.decode()
    unpublish = reverse("practices:unpublish", kwargs={"practice_pk": practice.pk})
    assert browser.post(unpublish).status_code == 302
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT and practice.published_at is None


def test_another_coalition_cannot_touch_a_practice(lib: Library) -> None:
    """The Utrecht coordinator tries every door of an Amsterdam practice."""
    published = _practice(lib.amsterdam, "Gepubliceerd")
    draft = _practice(lib.amsterdam, "Concept", published=False)
    attacker = f.signed_in(lib.other)
    for practice, expected in ((published, 403), (draft, 404)):
        kwargs = {"practice_pk": practice.pk}
        assert attacker.get(reverse("practices:edit", kwargs=kwargs)).status_code == expected
        posted = attacker.post(
            reverse("practices:edit", kwargs=kwargs), _form(lib.utrecht, title="Gekaapt")
        )
        assert posted.status_code == expected
        assert attacker.post(reverse("practices:publish", kwargs=kwargs)).status_code == expected
        assert attacker.post(reverse("practices:unpublish", kwargs=kwargs)).status_code == expected
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.title == "Gepubliceerd" and published.status == Status.PUBLISHED
    assert published.coalition == lib.amsterdam
    assert draft.title == "Concept" and draft.status == Status.DRAFT


def test_a_practice_is_created_for_ones_own_coalition_only(lib: Library) -> None:
    attacker = f.signed_in(lib.other)
    response = attacker.post(reverse("practices:new"), _form(lib.amsterdam))
    assert response.status_code == 200  # the form refuses the coalition: not a choice
    assert not Practice.objects.exists()
    # Nor can a member name another coalition's partner as their own.
    response = attacker.post(
        reverse("practices:new"), _form(lib.utrecht, partners=[lib.partner.pk])
    )
    assert response.status_code == 200 and not Practice.objects.exists()
    # Nor move their practice into another coalition.
    own = _practice(lib.utrecht, "Eigen")
    attacker.post(reverse("practices:edit", kwargs={"practice_pk": own.pk}), _form(lib.amsterdam))
    own.refresh_from_db()
    assert own.coalition == lib.utrecht


def test_roles_without_edit_and_users_without_coalition(lib: Library) -> None:
    analyst = f.signed_in(lib.analyst)
    assert analyst.get(reverse("practices:new")).status_code == 403
    practice = _practice(lib.amsterdam, "Gepubliceerd")
    kwargs = {"practice_pk": practice.pk}
    assert analyst.post(reverse("practices:publish", kwargs=kwargs)).status_code == 403
    loner = f.user(
        Role.POLICY_ADVISOR, f.organisation("Gemeente Elders", municipality_code="GM0014")
    )
    page = f.signed_in(loner).get(reverse("practices:new"))
    assert page.status_code == 200 and "geen coalitie" in page.content.decode()


def test_client_data_is_refused(lib: Library) -> None:
    browser = f.signed_in(lib.coordinator)
    response = browser.post(
        reverse("practices:new"),
        _form(lib.amsterdam, problem="Mail ouder@example.org of bel 06-12345678."),
    )
    assert response.status_code == 200 and not Practice.objects.exists()
    response = browser.post(reverse("practices:new"), _form(lib.amsterdam, contact_address=""))
    assert response.status_code == 200 and not Practice.objects.exists()


# --- Search and filters ------------------------------------------------------------------------


def _titles(response: Any) -> set[str]:
    return {p.title for p in response.context["page"]}


@pytest.fixture
def catalogue(lib: Library) -> dict[str, Practice]:
    centering = cb.intervention("centering-zwangerschap", name="CenteringZwangerschap")
    return {
        "debts": _practice(lib.amsterdam, "Schuldhulp aan tafel"),
        "groups": _practice(
            lib.amsterdam,
            "Groepszorg",
            problem="Weinig steun van andere ouders.",
            activity="Zwangeren in groepen.",
            results="Hogere OPKOMST bij controles.",
            theme=Theme.PARENTS,
            intervention=centering,
        ),
        "wish": _practice(
            lib.utrecht,
            "Kinderwensgesprek",
            problem="Ongeplande zwangerschappen.",
            activity="Het gesprek over kinderwens in het wijkteam.",
            phase=Phase.BEFORE,
            theme=Theme.FAMILY_PLANNING,
        ),
        "draft": _practice(lib.utrecht, "Concept in Utrecht", published=False),
    }


def test_search_over_title_problem_activity_and_results(
    lib: Library, catalogue: dict[str, Practice]
) -> None:
    browser = f.signed_in(lib.analyst)
    index = reverse("practices:index")
    assert _titles(browser.get(index)) == {
        "Schuldhulp aan tafel",
        "Groepszorg",
        "Kinderwensgesprek",
    }
    assert _titles(browser.get(index, {"q": "schuldhulp"})) == {"Schuldhulp aan tafel"}  # title
    assert _titles(browser.get(index, {"q": "ONGEPLANDE"})) == {"Kinderwensgesprek"}  # problem
    assert _titles(browser.get(index, {"q": "wijkteam"})) == {"Kinderwensgesprek"}  # activity
    assert _titles(browser.get(index, {"q": "opkomst"})) == {"Groepszorg"}  # results
    assert _titles(browser.get(index, {"q": "zwangeren groepen"})) == {"Groepszorg"}  # all words
    assert _titles(browser.get(index, {"q": "concept"})) == set()  # a draft of others
    own = f.signed_in(lib.other)
    assert _titles(own.get(index, {"q": "concept"})) == {"Concept in Utrecht"}


def test_each_filter(lib: Library, catalogue: dict[str, Practice]) -> None:
    browser = f.signed_in(lib.analyst)
    index = reverse("practices:index")
    assert _titles(browser.get(index, {"phase": Phase.BEFORE})) == {"Kinderwensgesprek"}
    assert _titles(browser.get(index, {"theme": Theme.PARENTS})) == {"Groepszorg"}
    intervention = catalogue["groups"].intervention
    assert intervention is not None
    assert _titles(browser.get(index, {"intervention": intervention.pk})) == {"Groepszorg"}
    both = {"phase": Phase.DURING, "theme": Theme.FINANCIAL}
    assert _titles(browser.get(index, both)) == {"Schuldhulp aan tafel"}


def _publication(classes: dict[str, tuple[int, int]]) -> Publication:
    """A publication holding only comparison classes: (urbanisation, size) per code."""
    table = pa.table(
        {
            "region_code": list(classes),
            "urbanisation_class": [u for u, _s in classes.values()],
            "size_class": [s for _u, s in classes.values()],
        }
    )
    return Publication(results=pa.table({}), manifest={}, comparison_classes=table)


@pytest.fixture
def monitor(monkeypatch: pytest.MonkeyPatch) -> Publication:
    """The monitor's current run: Amsterdam (GM0363) and five like it (1, 5), Utrecht
    (GM0344) and five like it (1, 4), and three small municipalities (5, 1)."""
    classes = {"GM0363": (1, 5), "GM0344": (1, 4)}
    classes |= {f"GM09{i:02d}": (1, 5) for i in range(5)}
    classes |= {f"GM08{i:02d}": (1, 4) for i in range(5)}
    classes |= {f"GM07{i:02d}": (5, 1) for i in range(3)}
    published = _publication(classes)
    monkeypatch.setattr(store, "current", lambda: SimpleNamespace(published=published))
    return published


def test_the_size_filter_uses_the_monitors_classes(
    lib: Library, catalogue: dict[str, Practice], monitor: Publication
) -> None:
    browser = f.signed_in(lib.analyst)
    index = reverse("practices:index")
    assert _titles(browser.get(index, {"size": "5"})) == {"Schuldhulp aan tafel", "Groepszorg"}
    assert _titles(browser.get(index, {"size": "4"})) == {"Kinderwensgesprek"}
    assert _titles(browser.get(index, {"size": "1"})) == set()


def test_without_a_monitor_run_the_size_filter_says_so(
    lib: Library, catalogue: dict[str, Practice], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise store.MonitorUnavailable(store.MISSING, store.monitor_dir())

    monkeypatch.setattr(store, "current", missing)
    response = f.signed_in(lib.analyst).get(reverse("practices:index"), {"size": "5"})
    assert response.status_code == 200 and response.context["size_unavailable"]
    like = f.signed_in(lib.coordinator).get(reverse("practices:like_mine"))
    assert like.status_code == 200 and like.context["monitor_missing"]


# --- Coalitions like mine ------------------------------------------------------------------------


def test_coalitions_like_mine_use_the_monitors_comparison_group(
    lib: Library, monitor: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    like = [_coalition(f"Kansrijke Start GM09{i:02d}", f"GM09{i:02d}") for i in range(5)]
    unlike = [_coalition(f"Kansrijke Start GM07{i:02d}", f"GM07{i:02d}") for i in range(3)]
    for c in [*like, *unlike, lib.utrecht]:
        _practice(c, f"Aanpak van {c.name}")
    _practice(like[0], "Concept elders", published=False)
    _practice(lib.amsterdam, "Eigen aanpak")
    calls: list[str] = []
    original = Publication.comparison_group

    def spy(self: Publication, code: str) -> Any:
        calls.append(code)
        return original(self, code)

    monkeypatch.setattr(Publication, "comparison_group", spy)
    response = f.signed_in(lib.coordinator).get(reverse("practices:like_mine"))
    assert response.status_code == 200
    assert calls == ["GM0363"]  # the monitor's function, for the coalition's municipality
    group = original(monitor, "GM0363")
    assert group is not None
    expected = {
        c.name
        for c in Coalition.objects.filter(memberships__municipality_id__in=group.members)
        if c != lib.amsterdam
    }
    shown = {p.coalition.name for p in response.context["practices"]}
    assert shown == expected
    assert shown == {c.name for c in like}  # not Utrecht (size 4), not the small ones
    titles = {p.title for p in response.context["practices"]}
    assert "Concept elders" not in titles and "Eigen aanpak" not in titles
    # Any coalition may be chosen: Utrecht's group is the size-4 municipalities.
    response = f.signed_in(lib.analyst).get(
        reverse("practices:like_mine"), {"coalition": lib.utrecht.pk}
    )
    utrecht_group = original(monitor, "GM0344")
    assert utrecht_group is not None
    assert response.context["similar"] == sorted(set(utrecht_group.members))


def test_likeness_of_a_regional_coalition_is_the_union_of_its_groups(
    lib: Library, monitor: Publication
) -> None:
    region = _coalition("Kansrijke Start regio", "GM0363", "GM0344")
    found = services.likeness(region, monitor)
    groups = [monitor.comparison_group(c) for c in ("GM0344", "GM0363")]
    members = {m for g in groups if g is not None for m in g.members}
    assert found.municipalities == frozenset(members - {"GM0344", "GM0363"})
    assert [code for code, _g in found.groups] == ["GM0344", "GM0363"]


def test_the_policy_states_who_may_do_what() -> None:
    assert policy.roles_with(policy.VIEW_PRACTICES) == policy.EVERY_ROLE
    assert policy.roles_with(policy.EDIT_PRACTICES) == {
        Role.COORDINATOR,
        Role.PROFESSIONAL,
        Role.POLICY_ADVISOR,
    }


def test_navigation_links(lib: Library) -> None:
    analyst = f.signed_in(lib.analyst).get(reverse("practices:index"))
    labels = [str(item["label"]) for item in analyst.context["nav_items"]]
    assert "Praktijkvoorbeelden" in labels and "Ervaringen" in labels
    coordinator = f.signed_in(lib.coordinator).get(reverse("practices:index"))
    labels = [str(item["label"]) for item in coordinator.context["nav_items"]]
    assert "Praktijkvoorbeelden" in labels and "Ervaringen" not in labels


def test_demo_practices_load(lib: Library) -> None:
    from kansrijk.web.practices import demo

    made = demo.load()
    assert {p.coalition for p in made} <= {lib.amsterdam, lib.utrecht}
    assert len(made) == 4  # Rotterdam has no coalition here
    assert demo.load() == []  # idempotent
