"""The contact person (regievoerder): exactly one per family after registration, handed over
with history, never two at once (the database refuses it)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import services
from kansrijk.web.care.models import ContactPerson
from tests.web import factories as f
from tests.web.care.builders import World

pytestmark = pytest.mark.django_db


def test_registration_makes_the_registering_professional_contact_person(care: World) -> None:
    [assignment] = ContactPerson.objects.filter(client=care.own)
    assert assignment.user == care.users[Role.PROFESSIONAL] and assignment.ended_at is None


def test_hand_over_keeps_exactly_one_and_the_history(care: World) -> None:
    user = care.users[Role.PROFESSIONAL]
    colleague = f.user(Role.PROFESSIONAL, care.own_org, first_name="Kees", last_name="Collega")
    client = f.signed_in(user)
    page = client.get(reverse("care:hand_over", args=[care.own.pk])).content.decode()
    assert "Kees Collega" in page
    response = client.post(
        reverse("care:hand_over", args=[care.own.pk]), {"to": colleague.pk, "note": "Verlof"}
    )
    assert response.status_code == 302
    open_ = ContactPerson.objects.filter(client=care.own, ended_at__isnull=True)
    assert [c.user for c in open_] == [colleague]
    history = list(ContactPerson.objects.filter(client=care.own).order_by("started_at", "pk"))
    assert [c.user for c in history] == [user, colleague]
    assert history[0].ended_at == history[1].started_at
    assert history[1].assigned_by == user and history[1].note == "Verlof"
    overview = client.get(reverse("care:client", args=[care.own.pk])).content.decode()
    assert "Kees Collega" in overview and "Verlof" in overview


def test_the_new_contact_person_may_hand_over_again(care: World) -> None:
    colleague = f.user(Role.PROFESSIONAL, care.own_org)
    services.hand_over(care.own, colleague, care.users[Role.PROFESSIONAL])
    back = f.signed_in(colleague).post(
        reverse("care:hand_over", args=[care.own.pk]), {"to": care.users[Role.PROFESSIONAL].pk}
    )
    assert back.status_code == 302
    assert ContactPerson.objects.filter(client=care.own, ended_at__isnull=True).count() == 1


def test_only_care_team_members_can_become_contact_person(care: World) -> None:
    outsider = f.user(Role.PROFESSIONAL, care.other_org)
    response = f.signed_in(care.users[Role.PROFESSIONAL]).post(
        reverse("care:hand_over", args=[care.own.pk]), {"to": outsider.pk}
    )
    assert response.status_code == 400
    assert (
        ContactPerson.objects.get(client=care.own, ended_at__isnull=True).user
        == (care.users[Role.PROFESSIONAL])
    )


def test_the_database_refuses_a_second_open_assignment(care: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPerson.objects.create(
            client=care.own,
            user=care.users[Role.PROFESSIONAL],
            organisation=care.own_org,
            assigned_by=care.users[Role.PROFESSIONAL],
        )
