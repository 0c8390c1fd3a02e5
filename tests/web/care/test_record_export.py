"""The client's right of access: the record export holds what the requesting user may see under
the policy decision point (and names the categories it leaves out), only the owning
organisation and the care team download it, a withdrawal takes effect at once, exactly one
export entry is logged, and no BSN hash ever leaves the database."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.care import careplan, services
from kansrijk.web.care.access import Access
from kansrijk.web.care.models import ClientMember, Consent, NoteKind
from kansrijk.web.care.views.record import readable, record
from kansrijk.web.retention import holds
from tests.web import factories as f
from tests.web.care.builders import World, named_and_anonymous_items, signal

pytestmark = pytest.mark.django_db


def _fill(care: World) -> None:
    """A record of Rosa (owned by the midwife, referred with consent to the district team)."""
    client, midwife = care.referred_consent, care.other_professional
    signal(client, midwife)
    services.add_note(client, midwife, "medical", "Bloeddruk verhoogd.")
    services.add_note(client, midwife, "family", "Huisbezoek gedaan, geëmigreerd uit Curaçao.")
    services.add_note(client, midwife, "family", "Gebeld.", kind=NoteKind.CONTACT)
    services.hand_over(client, midwife, midwife, "Start", timezone.now())
    careplan.set_goal(client, midwife, "financial", "Schulden onder beheer")
    careplan.create_task(client, midwife, "family", "Kraamzorg regelen", care.other_org)
    named_and_anonymous_items(client, midwife)
    holds.place_hold(client, midwife, "access_request")


def _url(care: World, relation: str = "referred_consent") -> str:
    return reverse("care:record_export", args=[care.client(relation).pk])


def _download(care: World) -> dict[str, Any]:
    response = f.signed_in(care.other_professional).get(_url(care))
    assert response.status_code == 200
    data: dict[str, Any] = json.loads(response.content.decode("utf-8"))
    return data


def _as(care: World, user_role: str) -> tuple[dict[str, Any], set[str]]:
    """The export as the world's user of ``user_role`` would get it (called directly)."""
    access = Access.for_user(care.users[user_role])
    client = care.referred_consent
    return record(access, client, access.grant(client))


def test_the_owner_downloads_the_whole_record(care: World) -> None:
    _fill(care)
    timeline = reverse("care:timeline", args=[care.referred_consent.pk])
    assert f.signed_in(care.users[Role.PROFESSIONAL]).get(timeline).status_code == 200
    response = f.signed_in(care.other_professional).get(_url(care))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inzage-{care.referred_consent.pk}-{day}.json"'
    )
    raw = response.content.decode("utf-8")
    assert "geëmigreerd uit Curaçao" in raw  # ensure_ascii=False
    assert raw.startswith('{\n  "')  # indented
    data = json.loads(raw)
    assert data["generated_at"].endswith("+00:00")
    assert data["generated_by"] == {
        "organisation": "Verloskundigenpraktijk West",
        "role": str(Role.PROFESSIONAL.label),
    }
    assert data["categories_not_included"] == []
    assert [m["given_name"] for m in data["members"]] == ["Rosa", "Bram"]
    assert data["family_situation"] == "Twee kamers, geen netwerk."
    assert len(data["consents"]) == 2
    assert len(data["contact_persons"]) == 2  # registration, then the hand-over
    assert [m["organisation"] for m in data["care_team"]] == ["Verloskundigenpraktijk West"]
    [hold] = data["retention_holds"]
    assert (hold["reason"], hold["lifted_at"]) == ("access_request", None)
    [found] = data["signals"]
    assert found["answers"]["inc_debts"] is True and found["above_threshold"]
    [referral] = data["referrals"]
    assert referral["to_organisation"] == "Wijkteam Oost"
    assert referral["reason"].startswith("Betalingsachterstanden")
    assert [e["to_state"] for e in referral["history"]] == ["requested"]
    assert {n["text"] for n in data["notes"]} == {
        "Bloeddruk verhoogd.",
        "Huisbezoek gedaan, geëmigreerd uit Curaçao.",
        "Gebeld.",
    }
    assert [g["goal"] for g in data["care_plan"]["goals"]] == ["Schulden onder beheer"]
    assert [t["task"] for t in data["care_plan"]["tasks"]] == ["Kraamzorg regelen"]
    # Only the named agenda item; the organiser reads its case description.
    [item] = data["conference_items"]
    assert item["case_description"] == "Casus 1"
    assert [d["decision"] for d in item["decisions"]] == ["Advies 1"]
    assert "Advies 2" not in raw and "Casus 2" not in raw
    assert {e["kind"] for e in data["timeline"]} >= {"signal", "note", "decision", "task"}
    # The access log: organisations and roles, no user names.
    [seen] = data["access_log"]
    assert seen["organisation"] == "Wijkteam Oost" and seen["action"] == "read"
    assert seen["role"] == str(Role.PROFESSIONAL.label)
    assert set(seen["categories"]) == {"identity", "family", "care_coordination"}
    assert "username" not in raw and care.other_professional.username not in raw


def test_a_care_team_organisation_may_download_it(care: World) -> None:
    """Within the consent it joined with (before issue 14 the care team got every category)."""
    careplan.join_team(
        care.other,
        care.own_org,
        timezone.localdate(),
        by=care.other_professional,
        consent=careplan.ConsentTerms(
            categories=["identity", "care_coordination", "family"],
            purpose="Samen zorgen",
            method="written",
        ),
    )
    response = f.signed_in(care.users[Role.PROFESSIONAL]).get(_url(care, "other"))
    assert response.status_code == 200
    missing = {c["code"] for c in json.loads(response.content)["categories_not_included"]}
    assert missing == {
        "financial",
        "education",
        "lifestyle",
        "medical",
        "psychosocial",
        "parenting",
    }


def test_categories_outside_the_consent_are_left_out_and_named(care: World) -> None:
    """The district team's consent covers identity, family and care coordination: its view of
    the record has no medical note, financial goal or (all-category) signal, and says so."""
    _fill(care)
    data, shown = _as(care, Role.PROFESSIONAL)
    assert shown == {"identity", "family", "care_coordination"}
    missing = {c["code"] for c in data["categories_not_included"]}
    assert {"medical", "financial", "psychosocial"} <= missing
    assert not missing & {"identity", "family", "care_coordination"}
    assert all(c["label"] for c in data["categories_not_included"])
    text = json.dumps(data, ensure_ascii=False)
    assert "Bloeddruk verhoogd." not in text and "Schulden onder beheer" not in text
    assert data["signals"] == [] and data["care_plan"]["goals"] == []
    assert {n["category"] for n in data["notes"]} == {"family"}
    # The coordinator's consent covers identity and care coordination only.
    coordinator, _shown = _as(care, Role.COORDINATOR)
    assert "family_situation" not in coordinator and coordinator["notes"] == []
    assert "family" in {c["code"] for c in coordinator["categories_not_included"]}


def test_a_withdrawn_consent_takes_effect_at_once(care: World) -> None:
    _fill(care)
    professional = f.signed_in(care.users[Role.PROFESSIONAL])
    assert professional.get(_url(care)).status_code == 403  # sees the family, may not export
    for consent in Consent.objects.filter(client=care.referred_consent, withdrawn_at=None):
        services.withdraw_consent(consent, care.other_professional)
    assert professional.get(_url(care)).status_code == 404  # the family is gone for them
    access = Access.for_user(care.users[Role.PROFESSIONAL])
    assert not access.grant(care.referred_consent).visible
    consents = _download(care)["consents"]
    assert len(consents) == 2 and all(c["withdrawn_at"] for c in consents)


@pytest.mark.parametrize(
    ("role", "relation", "status"),
    [
        (Role.PROFESSIONAL, "referred_consent", 403),
        (Role.COORDINATOR, "referred_consent", 403),
        (Role.PROFESSIONAL, "referred_no_consent", 404),
        (Role.PROFESSIONAL, "other", 404),
        (Role.COORDINATOR, "other", 403),  # the policy refuses the role the page outright
        (Role.POLICY_ADVISOR, "referred_consent", 403),
        (Role.ADMINISTRATOR, "referred_consent", 403),
    ],
)
def test_everyone_else_is_refused_and_logged(
    care: World, role: str, relation: str, status: int
) -> None:
    before = AuditEvent.objects.count()
    response = f.signed_in(care.users[role]).get(_url(care, relation))
    assert response.status_code == status
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.authorised, e.action) for e in events] == [(False, "export")]


def test_only_get(care: World) -> None:
    response = f.signed_in(care.other_professional).post(_url(care))
    assert response.status_code == 405


def test_exactly_one_export_entry_with_the_categories(care: World) -> None:
    _fill(care)
    last = AuditEvent.objects.order_by("-sequence").first()
    before = last.sequence if last else 0
    data = _download(care)
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert len(events) == 1
    entry = events[0]
    assert entry.action == "export" and entry.purpose == "accountability"
    assert entry.client_id == care.referred_consent.pk and entry.authorised
    assert entry.treatment_relationship and not entry.emergency_access
    assert entry.user_id == care.other_professional.pk
    expected = {"identity", "family", "care_coordination", "medical", "financial"}
    expected |= set(data["signals"][0]["categories"])
    assert set(entry.category_values) == expected


def test_no_bsn_hash_in_the_file(care: World) -> None:
    response = f.signed_in(care.other_professional).get(_url(care))
    raw = response.content.decode("utf-8")
    hashes = ClientMember.objects.filter(client=care.referred_consent).values_list(
        "bsn_hash", flat=True
    )
    assert hashes and all(h and h not in raw for h in hashes)
    assert "bsn" not in raw.lower()


def test_linked_from_the_client_page_and_the_access_overview(care: World) -> None:
    owner = f.signed_in(care.other_professional)
    pk = care.referred_consent.pk
    for page in ("care:client", "care:access_overview"):
        assert _url(care) in owner.get(reverse(page, args=[pk])).content.decode()
    referred = f.signed_in(care.users[Role.PROFESSIONAL]).get(reverse("care:client", args=[pk]))
    assert _url(care) not in referred.content.decode()


# --- The readable page and its PDF ---------------------------------------------------------------


def _format_url(care: World, kind: str, relation: str = "referred_consent") -> str:
    return f"{_url(care, relation)}?format={kind}"


def test_the_readable_page_shows_the_record(care: World) -> None:
    _fill(care)
    timeline = reverse("care:timeline", args=[care.referred_consent.pk])
    assert f.signed_in(care.users[Role.PROFESSIONAL]).get(timeline).status_code == 200
    response = f.signed_in(care.other_professional).get(_format_url(care, "html"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = response.content.decode("utf-8")
    family = care.referred_consent.members.all()[0].family_name
    assert family in page
    assert "Huisbezoek gedaan, geëmigreerd uit Curaçao." in page
    assert "Kraamzorg regelen" in page and "Schulden onder beheer" in page
    assert "Casus 1" in page and "Casus 2" not in page
    assert '<table class="utrecht-table utrecht-table--html-table" id="access-log">' in page
    assert "Wijkteam Oost" in page  # in the access log (and the referral)
    assert "<caption" in page and 'scope="row"' in page
    assert f"{_url(care)}?format=pdf" in page
    assert "username" not in page and care.other_professional.username not in page


def test_the_readable_page_names_what_is_left_out(care: World) -> None:
    """Shown to the district team's view (called directly): no medical note, and the left-out
    categories with the advice to ask the other organisations."""
    _fill(care)
    data, _shown = _as(care, Role.PROFESSIONAL)
    page = render_to_string(
        "care/record.html",
        {"client": care.referred_consent, "name": "Rosa", "record": readable(data)},
    )
    assert "Bloeddruk verhoogd." not in page
    assert "Huisbezoek gedaan" in page
    for c in data["categories_not_included"]:
        assert c["label"] in page


def test_the_pdf(care: World, caplog: pytest.LogCaptureFixture) -> None:
    _fill(care)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = f.signed_in(care.other_professional).get(_format_url(care, "pdf"))
    assert response.status_code == 200
    assert not caplog.records  # no static file fetched, nothing unresolved
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inzage-{care.referred_consent.pk}-{day}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils (pdftotext) not installed")
    text = subprocess.run(
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    family = care.referred_consent.members.all()[0].family_name
    assert family in text
    assert "Kraamzorg regelen" in text


@pytest.mark.parametrize("kind", ["json", "html", "pdf", ""])
def test_exactly_one_export_entry_per_format(care: World, kind: str) -> None:
    _fill(care)
    last = AuditEvent.objects.order_by("-sequence").first()
    before = last.sequence if last else 0
    url = _format_url(care, kind) if kind else _url(care)
    response = f.signed_in(care.other_professional).get(url)
    assert response.status_code == 200
    data, shown = _as(care, Role.PROFESSIONAL)  # not through the view: nothing logged
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert len(events) == 1
    entry = events[0]
    assert entry.action == "export" and entry.purpose == "accountability"
    assert entry.client_id == care.referred_consent.pk and entry.authorised
    assert entry.user_id == care.other_professional.pk
    assert {"identity", "family", "care_coordination", "medical", "financial"} <= set(
        entry.category_values
    )
    assert data and shown


@pytest.mark.parametrize("kind", ["html", "pdf"])
@pytest.mark.parametrize(
    ("role", "relation", "status"),
    [
        (Role.PROFESSIONAL, "referred_consent", 403),
        (Role.COORDINATOR, "referred_consent", 403),
        (Role.PROFESSIONAL, "referred_no_consent", 404),
        (Role.PROFESSIONAL, "other", 404),
        (Role.POLICY_ADVISOR, "referred_consent", 403),
    ],
)
def test_the_readable_formats_refuse_everyone_else(
    care: World, kind: str, role: str, relation: str, status: int
) -> None:
    before = AuditEvent.objects.count()
    response = f.signed_in(care.users[role]).get(_format_url(care, kind, relation))
    assert response.status_code == status
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.authorised, e.action) for e in events] == [(False, "export")]


def test_an_unknown_format_is_not_found(care: World) -> None:
    before = AuditEvent.objects.count()
    response = f.signed_in(care.other_professional).get(_format_url(care, "xml"))
    assert response.status_code == 404
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.authorised, e.action) for e in events] == [(False, "export")]


def test_the_readable_formats_are_linked(care: World) -> None:
    owner = f.signed_in(care.other_professional)
    pk = care.referred_consent.pk
    for page in ("care:client", "care:access_overview"):
        content = owner.get(reverse(page, args=[pk])).content.decode()
        for kind in ("html", "pdf"):
            assert _format_url(care, kind) in content
    referred = f.signed_in(care.users[Role.PROFESSIONAL]).get(reverse("care:client", args=[pk]))
    assert _format_url(care, "html") not in referred.content.decode()
