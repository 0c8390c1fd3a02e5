"""The care demo: fictitious families of the Amsterdam coalition, consistent with the rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Q

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.audit import log as audit
from kansrijk.web.care import demo
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import Client, ContactPerson, EmergencyAccess
from kansrijk.web.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[demo.CareAccount]]:
    from kansrijk.web.accounts import demo as accounts_demo
    from kansrijk.web.coalitions import demo as coalitions_demo

    with django_db_blocker.unblock(), transaction.atomic():
        coalitions_demo.load()
        accounts_demo.load()
        accounts = demo.load()
        yield accounts
        transaction.set_rollback(True)


def test_families_referrals_and_accounts(loaded: list[demo.CareAccount]) -> None:
    assert Client.objects.count() == demo.FAMILIES
    assert len(loaded) == 7 and all(User.objects.filter(username=a.username) for a in loaded)
    states = set(Referral.objects.values_list("state", flat=True))
    assert states == {"requested", "accepted", "in_progress", "completed", "rejected", "cancelled"}
    assert Referral.objects.filter(deadline__isnull=True).count() == 0


def test_exactly_one_contact_person_each_and_some_hand_overs(
    loaded: list[demo.CareAccount],
) -> None:
    open_counts = Client.objects.annotate(
        n=Count("contact_persons", filter=Q(contact_persons__ended_at__isnull=True))
    ).values_list("n", flat=True)
    assert set(open_counts) == {1}
    assert ContactPerson.objects.filter(ended_at__isnull=False).count() == 3


def test_every_professional_sees_something_and_the_chain_is_intact(
    loaded: list[demo.CareAccount],
) -> None:
    for account in loaded:
        user = User.objects.get(username=account.username)
        assert Access.for_user(user).visible_clients().exists(), account.username
    coordinator = User.objects.create(username="c", role="coordinator")
    coordinator.organisation = Organisation.objects.get(
        type="municipality", municipality_code="GM0363"
    )
    assert Access.for_user(coordinator).visible_clients().count() == demo.FAMILIES // 5
    assert EmergencyAccess.objects.filter(reviewed_at__isnull=True).count() == 1
    result = audit.verify()
    assert result.ok and result.entries > demo.FAMILIES


def test_some_referrals_wait_for_consent(loaded: list[demo.CareAccount]) -> None:
    """The receiving organisation sees the status, not the family."""
    without = [
        r
        for r in Referral.objects.filter(state="requested").select_related("client")
        if not r.client.consents.filter(recipient_organisation=r.to_organisation).exists()
    ]
    assert without
    receiver = User.objects.filter(organisation=without[0].to_organisation).first()
    assert receiver is not None
    access = Access.for_user(receiver)
    assert access.visible_referrals().filter(pk=without[0].pk).exists()
    assert not access.grant(without[0].client).visible


def test_care_plans_contacts_and_a_local_route(loaded: list[demo.CareAccount]) -> None:
    from kansrijk.web.care.models import CarePlanGoal, Note, Task
    from kansrijk.web.referrals.models import LocalRoute

    assert CarePlanGoal.objects.count() == 8
    assert Task.objects.count() == 8 + 2  # two decided in the demo conference
    assert Note.objects.filter(kind="contact").count() == 8
    [variant] = LocalRoute.objects.all()
    route = variant.route()
    assert route.based_on == ("no_kraamzorg", 1) and [s.response_days for s in route.steps] == [
        4,
        4,
    ]
    assert audit.verify().ok


def test_case_conferences(loaded: list[demo.CareAccount]) -> None:
    from kansrijk.web.conferences.models import AgendaItem, CaseConference, ConferenceDecision

    held, planned = CaseConference.objects.order_by("starts_at")
    assert (held.state, planned.state) == ("held", "planned")
    assert held.participants.count() == 4  # the coordinator and three professionals
    items = list(AgendaItem.objects.filter(conference=held))
    assert len(items) == 2 and all(i.client_id for i in items)
    assert ConferenceDecision.objects.filter(item__in=items).count() == 2
