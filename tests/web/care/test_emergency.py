"""Emergency access with guardrails (issue 14, item 7): a reason category and a reason of real
length, only for organisations in the family's municipality or region, a short period, a review
that lists what was viewed, and no answer that tells whether a BSN is registered."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import escape
from typing import Any

import pytest
from django.test import Client as Browser
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care import emergency as rules
from kansrijk.web.care import services
from kansrijk.web.care.forms import EmergencyForm
from kansrijk.web.care.models import Client, EmergencyAccess
from kansrijk.web.care.services import MAX_EMERGENCY_HOURS, MemberInput
from kansrijk.web.coalitions.models import CoalitionMunicipality
from tests.web import factories as f
from tests.web.care.builders import World, valid_bsn
from tests.web.coalitions import builders as cb

pytestmark = pytest.mark.django_db

REASON = "Zwangere met hevige buikpijn op de SEH; eigen verloskundige niet bereikbaar."
URL = "/care/emergency/"


def _family(owner: User, municipality: str = "GM0363") -> tuple[Client, str]:
    """A family living in ``municipality`` and the pregnant woman's BSN."""
    bsn = valid_bsn()
    member = MemberInput("pregnant", "Sanne", "Spoed", date(1996, 1, 2), None, bsn)
    client = services.register_client(owner, municipality_code=municipality, members=[member])
    return client, bsn


def _professional(municipality: str, name: str = "Verloskundigen") -> User:
    org = f.organisation(
        f"{name} {municipality}", type=OrganisationType.MIDWIFERY, municipality_code=municipality
    )
    return f.user(Role.PROFESSIONAL, org)


def _post(browser: Browser, bsn: str, **extra: Any) -> Any:
    data = {"bsn": bsn, "category": "acute_medical", "reason": REASON, "hours": 4} | extra
    return browser.post(URL, data)


def _body(response: Any, bsn: str) -> str:
    """The page without what differs per request anyway: the CSRF token and the BSN typed."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return page.replace(bsn, "BSN")


def _attempts(user: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(user_id=user.pk, action="emergency").order_by("sequence"))


# --- The reproduction: a midwife without a link, reason ".", 24 hours -----------------------


def test_the_reported_attempt_is_refused(care: World) -> None:
    """A midwife in Groningen with no link to an Amsterdam family, reason ".", 24 hours."""
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    midwife = _professional("GM0014")
    browser = f.signed_in(midwife)
    reported = _post(browser, bsn, category="other", reason=".", hours=24)
    assert reported.status_code == 400
    page = reported.content.decode()
    assert "30" in page  # "at least 30 characters"
    # With a proper reason and length she is still outside the family's region.
    proper = _post(browser, bsn)
    assert proper.status_code == rules_status()
    assert not EmergencyAccess.objects.filter(client=target).exists()
    assert browser.get(reverse("care:client", args=[target.pk])).status_code == 404


def rules_status() -> int:
    from kansrijk.web.care.views.oversight import REFUSED_STATUS

    return REFUSED_STATUS


@pytest.mark.parametrize(
    "reason",
    [
        ".",
        "Spoed.",
        "..............................................",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "nood nood nood nood nood nood nood nood nood",
        "ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab",
        "123456789 123456789 123456789 123456789",
    ],
)
def test_a_reason_without_real_content_is_refused(care: World, reason: str) -> None:
    _, bsn = _family(care.users[Role.PROFESSIONAL])
    answer = _post(f.signed_in(care.other_professional), bsn, reason=reason)
    assert answer.status_code == 400
    assert not EmergencyAccess.objects.exists()


def test_the_reason_needs_a_category(care: World) -> None:
    _, bsn = _family(care.users[Role.PROFESSIONAL])
    browser = f.signed_in(care.other_professional)
    assert _post(browser, bsn, category="").status_code == 400
    assert _post(browser, bsn, category="curiosity").status_code == 400
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("hours", [0, 9, 12, 24])
def test_longer_than_the_maximum_is_refused(care: World, hours: int) -> None:
    _, bsn = _family(care.users[Role.PROFESSIONAL])
    assert _post(f.signed_in(care.other_professional), bsn, hours=hours).status_code == 400
    assert not EmergencyAccess.objects.exists()
    with pytest.raises(ValueError, match="1 to 8 hours"):
        services.start_emergency(care.other_professional, care.own, REASON, 9)


def test_the_default_length_is_a_setting_capped_at_the_maximum() -> None:
    assert MAX_EMERGENCY_HOURS == 8
    assert EmergencyForm().fields["hours"].initial == 4
    with override_settings(KANSRIJK_EMERGENCY_HOURS=2):
        form = EmergencyForm()
        assert form.fields["hours"].initial == 2
        assert [h for h, _ in form.fields["hours"].choices] == [1, 2, 8]  # type: ignore[attr-defined]
    with override_settings(KANSRIJK_EMERGENCY_HOURS=24):
        assert rules.default_hours() == 8 and max(rules.hour_choices()) == 8


# --- Who may break the glass: the family's municipality or region -----------------------------


def test_granted_in_the_same_municipality_with_category_basis_and_period(care: World) -> None:
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    midwife = care.other_professional  # Amsterdam, no link to this family
    browser = f.signed_in(midwife)
    assert browser.get(reverse("care:client", args=[target.pk])).status_code == 404
    answer = _post(browser, bsn, category="child_safety", hours=2)
    assert answer.status_code == 302
    granted = EmergencyAccess.objects.get(client=target)
    assert (granted.reason_category, granted.basis) == ("child_safety", "municipality")
    assert granted.expires_at - granted.started_at == timedelta(hours=2)
    assert granted.reason == REASON
    assert browser.get(reverse("care:client", args=[target.pk])).status_code == 200


def test_granted_in_the_same_corop_region(care: World) -> None:
    """Amstelveen (GM0362) and Amsterdam (GM0363) are both in COROP area CR23."""
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    browser = f.signed_in(_professional("GM0362"))
    assert _post(browser, bsn).status_code == 302
    assert EmergencyAccess.objects.get(client=target).basis == "corop"


def test_granted_in_the_same_coalition_only_while_both_are_members(care: World) -> None:
    """Groningen (GM0014) is far from Amsterdam, unless they share a coalition that day."""
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    today = timezone.localdate()
    assert rules.region_basis("GM0014", "GM0363", today) == ""
    coalition = cb.coalition("Kansrijke Start Noord-Holland en Groningen")
    for code in ("GM0014", "GM0363"):
        CoalitionMunicipality.objects.create(
            coalition=coalition,
            municipality=cb.municipality(code),
            valid_from=today - timedelta(days=30),
        )
    assert rules.region_basis("GM0014", "GM0363", today) == "coalition"
    assert rules.region_basis("GM0014", "GM0363", today - timedelta(days=31)) == ""
    assert _post(f.signed_in(_professional("GM0014")), bsn).status_code == 302
    assert EmergencyAccess.objects.get(client=target).basis == "coalition"


def test_an_organisation_without_a_location_cannot_break_the_glass(care: World) -> None:
    _, bsn = _family(care.users[Role.PROFESSIONAL])
    assert (
        _post(
            f.signed_in(
                _professional(""),
            ),
            bsn,
        ).status_code
        == rules_status()
    )
    assert not EmergencyAccess.objects.exists()


# --- No answer tells whether a BSN is registered -----------------------------------------------


def test_unknown_outside_region_and_throttled_answer_the_same(care: World) -> None:
    """An unknown BSN, a known BSN outside the region and a user who refused too often get
    the same status and page; each attempt is logged with its real reason."""
    near, near_bsn = _family(care.users[Role.PROFESSIONAL])  # Amsterdam
    far_owner = _professional("GM0014", "Praktijk")
    far, far_bsn = _family(far_owner, "GM0014")  # Groningen
    browser = f.signed_in(care.other_professional)  # an Amsterdam midwife
    unknown_bsn = valid_bsn()
    unknown = _post(browser, unknown_bsn)
    outside = _post(browser, far_bsn)
    assert unknown.status_code == outside.status_code == rules_status()
    assert _body(unknown, unknown_bsn) == _body(outside, far_bsn)
    assert "Praktijk GM0014" not in outside.content.decode()  # the far organisation
    for _attempt in range(rules.MAX_REFUSALS_PER_DAY - 2):
        _post(browser, valid_bsn())
    # Five refusals today: now even a family she could open is refused the same way.
    throttled = _post(browser, near_bsn)
    assert throttled.status_code == rules_status()
    assert _body(throttled, near_bsn) == _body(unknown, unknown_bsn)
    assert not EmergencyAccess.objects.exists()
    attempts = _attempts(care.other_professional)
    assert len(attempts) == rules.MAX_REFUSALS_PER_DAY + 1
    assert all(not a.authorised and a.emergency_access for a in attempts)
    assert attempts[0].detail == "emergency refused: no client with this BSN"
    assert attempts[0].client_id is None
    assert attempts[1].detail == "emergency refused: family outside the organisation's region"
    assert attempts[1].client_id == far.pk
    assert attempts[-1].detail == "emergency refused: too many refused attempts today"
    assert attempts[-1].client_id == near.pk


def test_a_granted_attempt_is_logged_with_every_category(care: World) -> None:
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    _post(f.signed_in(care.other_professional), bsn)
    [attempt] = _attempts(care.other_professional)
    assert attempt.authorised and attempt.emergency_access and attempt.client_id == target.pk
    assert "acute_medical" in attempt.detail and "municipality" in attempt.detail


def test_registering_a_known_bsn_does_not_become_a_bsn_test(care: World) -> None:
    """The register form refuses a BSN of a family the user cannot see, logs a denied search,
    and after three such matches a day refuses every registration the same way."""
    from tests.web.care.test_clients import _form

    _, known = _family(care.users[Role.PROFESSIONAL])
    browser = f.signed_in(care.other_professional)
    first = browser.post(reverse("care:register"), _form(known))
    assert first.status_code == 409
    for _attempt in range(2):
        browser.post(reverse("care:register"), _form(known))
    fresh = valid_bsn()
    throttled = browser.post(reverse("care:register"), _form(fresh))
    assert throttled.status_code == 409
    assert _body(throttled, fresh) == _body(first, known)
    assert not Client.objects.filter(members__given_name="Sara").exists()
    denied = AuditEvent.objects.filter(
        user_id=care.other_professional.pk, action="search", authorised=False
    )
    assert denied.count() == 4
    # Someone else is not affected.
    other = f.signed_in(care.users[Role.PROFESSIONAL])
    assert other.post(reverse("care:register"), _form(valid_bsn())).status_code == 302


def test_adding_a_child_with_a_known_bsn_says_nothing_about_whom(care: World) -> None:
    _, known = _family(care.other_professional)
    browser = f.signed_in(care.users[Role.PROFESSIONAL])
    url = reverse("care:add_child", args=[care.own.pk])
    child = {"given_name": "Lotte", "family_name": "Jansen", "date_of_birth": "2026-11-01"}
    taken = browser.post(url, child | {"bsn": known})
    assert taken.status_code == 400
    assert "already registered" not in taken.content.decode()
    assert AuditEvent.objects.filter(
        user_id=care.users[Role.PROFESSIONAL].pk, action="search", authorised=False
    ).exists()


# --- The review lists what was viewed ----------------------------------------------------------


def test_the_review_lists_every_entry_made_under_the_access(care: World) -> None:
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    midwife = care.other_professional
    browser = f.signed_in(midwife)
    assert _post(browser, bsn).status_code == 302
    granted = EmergencyAccess.objects.get(client=target)
    assert browser.get(reverse("care:client", args=[target.pk])).status_code == 200
    assert browser.get(reverse("care:timeline", args=[target.pk])).status_code == 200
    under = list(rules.entries_under(granted))
    views = [e.detail for e in under]
    assert len(under) == 3 and views[1:] == ["care:client", "timeline"]
    assert all(e.client_id == target.pk and e.user_id == midwife.pk for e in under)
    # Another client's entries and other users' entries are not listed.
    assert not any(e.client_id != target.pk for e in under)

    admin = f.signed_in(care.users[Role.ADMINISTRATOR])
    listing = admin.get(reverse("care:emergency_reviews")).content.decode()
    detail_response = admin.get(reverse("care:emergency_review", args=[granted.pk]))
    assert detail_response.status_code == 200
    detail = detail_response.content.decode()
    for page in (listing, detail):
        assert REASON in page
        assert all(escape(e.detail) in page for e in under)
    assert detail.count('<tr class="utrecht-table__row">') == len(under) + 1  # + header
    # Reading the review is logged (supervision), and the review still works by POST.
    assert AuditEvent.objects.filter(
        user_id=care.users[Role.ADMINISTRATOR].pk, purpose="supervision", client_id=target.pk
    ).exists()
    admin.post(reverse("care:emergency_review", args=[granted.pk]), {"note": "Terecht."})
    granted.refresh_from_db()
    assert granted.reviewed_at is not None
    after = admin.get(reverse("care:emergency_review", args=[granted.pk])).content.decode()
    assert "Terecht." in after and all(escape(e.detail) in after for e in under)


def test_the_review_is_for_reviewers_of_the_family_only(care: World) -> None:
    target, bsn = _family(care.users[Role.PROFESSIONAL])
    _post(f.signed_in(care.other_professional), bsn)
    granted = EmergencyAccess.objects.get(client=target)
    url = reverse("care:emergency_review", args=[granted.pk])
    assert f.signed_in(care.users[Role.COORDINATOR]).get(url).status_code == 200  # Amsterdam
    elsewhere = f.user(Role.COORDINATOR, f.organisation(municipality_code="GM0014"))
    assert f.signed_in(elsewhere).get(url).status_code == 404
    assert f.signed_in(care.other_professional).get(url).status_code == 403


def test_the_pages_still_render() -> None:
    """The form shows the categories and the maximum (not a hidden default)."""
    org = f.organisation(type=OrganisationType.MIDWIFERY)
    page = f.signed_in(f.user(Role.PROFESSIONAL, org)).get(URL).content.decode()
    for category in ("acute_medical", "child_safety", "team_unreachable", "other"):
        assert f'value="{category}"' in page
    assert 'value="24"' not in page
