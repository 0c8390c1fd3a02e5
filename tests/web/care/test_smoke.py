from __future__ import annotations

import pytest
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from tests.web import factories as f
from tests.web.care.builders import World

pytestmark = pytest.mark.django_db


def test_pages_render(care: World) -> None:
    client = f.signed_in(care.users[Role.PROFESSIONAL])
    for url in [
        reverse("care:caseload"),
        reverse("care:register"),
        reverse("care:client", args=[care.own.pk]),
        reverse("care:client", args=[care.referred_consent.pk]),
        reverse("care:referrals"),
        reverse("care:emergency"),
        reverse("care:consent_new", args=[care.own.pk]),
        reverse("care:referral_new", args=[care.own.pk]),
        reverse("care:hand_over", args=[care.own.pk]),
        reverse("care:access_overview", args=[care.own.pk]),
        reverse("care:add_child", args=[care.own.pk]),
        reverse("care:api_clients"),
        reverse("care:api_client", args=[care.own.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
