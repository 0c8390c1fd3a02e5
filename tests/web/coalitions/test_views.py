"""The registry pages: signed-in users read, anonymous users go to the login, no N+1 queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.coalitions.models import Coalition
from tests.web import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_registry")]

EN = {"Accept-Language": "en"}


@pytest.fixture
def client_() -> Client:
    return f.signed_in(f.user(role=Role.POLICY_ADVISOR))


def _amsterdam() -> Coalition:
    return Coalition.objects.get(memberships__municipality="GM0363")


def _urls() -> list[str]:
    return [
        reverse("coalitions:index"),
        reverse("coalitions:detail", args=[_amsterdam().pk]),
        reverse("coalitions:municipality", args=["GM0363"]),
        reverse("coalitions:menu"),
    ]


def test_anonymous_users_go_to_the_login() -> None:
    for url in _urls():
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_every_page_renders_with_few_queries(
    client_: Client, django_assert_max_num_queries: Any
) -> None:
    for url in _urls():
        # About 7 queries are the request's own (session, user, OTP devices, organisation,
        # session save); the rest is constant per page whatever the number of coalitions.
        with django_assert_max_num_queries(16):
            response = client_.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert "<caption" in html or "table" not in html


def test_index_lists_amsterdam_and_filters(client_: Client) -> None:
    html = client_.get(reverse("coalitions:index"), headers=EN).content.decode()
    assert "Kansrijke Start Amsterdam" in html
    assert f'href="{reverse("coalitions:detail", args=[_amsterdam().pk])}"' in html
    total = Coalition.objects.count()
    assert f"{total} coalitions" in html
    preparing = client_.get(reverse("coalitions:index"), {"status": "preparing"}, headers=EN)
    listed = preparing.context["coalitions"]
    assert listed and all(c.status == "preparing" for c in listed)
    assert "Kansrijke Start Amsterdam" not in preparing.content.decode().split("<caption")[-1]
    groningen = client_.get(reverse("coalitions:index"), {"province": "Groningen"})
    names = {c.name for c in groningen.context["coalitions"]}
    assert names and "Kansrijke Start Amsterdam" not in names
    for c in groningen.context["coalitions"]:
        assert any(m.municipality.province_name == "Groningen" for m in c.current_memberships)
    ignored = client_.get(reverse("coalitions:index"), {"status": "nonsense", "province": "X"})
    assert len(ignored.context["coalitions"]) == total


def test_detail_shows_amsterdam_in_full(client_: Client) -> None:
    coalition = _amsterdam()
    html = client_.get(
        reverse("coalitions:detail", args=[coalition.pk]), headers=EN
    ).content.decode()
    for text in (
        "Kansrijke Start Amsterdam",
        "Gemeente Amsterdam",
        "Verloskundigenpraktijk 576",  # the former partner, with its period
        "Former partner",
        "Medical domain",
        "Social domain",
        "Community",
        "Municipal department",
        "Signalling",
        "Referral",
        "Data sharing",
        "Finished",
        "Goal",
        "Ambition",
        "Activity",
    ):
        assert text in html, text
    for item in coalition.plan.items.all():
        assert item.text in html


def test_programme_staff_get_edit_links_others_do_not(client_: Client) -> None:
    url = reverse("coalitions:detail", args=[_amsterdam().pk])
    admin_url = reverse("admin:coalitions_coalition_change", args=[_amsterdam().pk])
    assert admin_url not in client_.get(url).content.decode()
    staff = f.signed_in(f.user(role=Role.PROGRAMME_STAFF, is_staff=True))
    assert admin_url in staff.get(url).content.decode()


def test_municipality_page_per_year(client_: Client) -> None:
    url = reverse("coalitions:municipality", args=["GM0363"])
    html = client_.get(url, {"year": 2021}, headers=EN).content.decode()
    assert "Amsterdam in 2021" in html
    assert "Kansrijke Start Amsterdam" in html
    assert "Granted in tranche 1" in html
    assert "CenteringZwangerschap" in html
    early = client_.get(url, {"year": 2016}, headers=EN)
    assert early.context["m"]["coalitions"] == [] and early.context["m"]["impuls"] is None
    odd = client_.get(url, {"year": "abc"})
    assert odd.status_code == 200
    delfzijl = client_.get(
        reverse("coalitions:municipality", args=["GM0010"]), {"year": 2022}, headers=EN
    )
    assert "did not exist on 1 January 2022" in delfzijl.content.decode()
    assert client_.get(reverse("coalitions:municipality", args=["GM9999"])).status_code == 404


def test_menu_by_phase_with_counts(client_: Client) -> None:
    response = client_.get(reverse("coalitions:menu"), headers=EN)
    phases = {value: items for value, _, items in response.context["phases"]}
    assert set(phases) == {"before", "during", "after"}
    by_code = {i.code: i for items in phases.values() for i in items}
    assert by_code["voorzorg"].municipalities == 150
    assert by_code["nu-niet-zwanger"].municipalities == 38 + 138
    assert by_code["centering-ouderschap"].organisations == 9
    assert "voorzorg" in {i.code for i in phases["during"]}
    assert "voorzorg" in {i.code for i in phases["after"]}
    assert "Nu Niet Zwanger" in response.content.decode()
