"""The main flow of care coordination in the browser, as two professionals of the Amsterdam
coalition work it together (two browser sessions side by side):

the midwife signs in with two-factor authentication, registers a family, records a signal with
the screening instrument, follows the proposed client route to a referral to debt counselling
and records the family's consent for it; the debt counsellor (also with two-factor
authentication) accepts the referral; the midwife holds a case conference with the debt
counsellor, where the family is discussed by name and a task is decided; the debt counselling
joins the care team and its professional becomes the contact person; both see the timeline,
each as far as their rights go. axe-core checks every new page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.browser.conftest import Server
from tests.browser.helpers import axe_violations, describe, log_in
from tests.web.care.builders import DEBTS

MIDWIFE, DEBT_COUNSELLOR = "verloskundige.amsterdam", "schuldhulp.amsterdam"


def _second_session(page: Any, server: Server) -> Any:
    """A second, independent browser session on the same server (another user)."""
    context = page.context.browser.new_context(base_url=server.url, locale="nl-NL")
    context.set_default_timeout(15_000)
    return context.new_page()


def _submit(page: Any, form: str = "form.utrecht-form") -> None:
    page.locator(form).last.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


def _select_containing(page: Any, selector: str, text: str) -> str:
    """Choose the first option of a select whose label contains ``text``; return its label."""
    options = page.locator(f"{selector} option").all_inner_texts()
    label = next(o for o in options if text in o)
    page.select_option(selector, label=label)
    return str(label)


def test_signal_route_referral_conference_contact_person_timeline(
    page: Any, server: Server
) -> None:
    failures: dict[str, Any] = {}

    def check(p: Any) -> None:
        failures[p.url] = axe_violations(p)

    # 1. The midwife signs in (password, then the authenticator code) and registers a family.
    log_in(page, server, MIDWIFE)
    page.goto("/care/clients/new/")
    due = (timezone.localdate() + timedelta(days=120)).isoformat()
    page.fill("#id_woman_given_name", "Zoë")
    page.fill("#id_woman_family_name", "Browsertest")
    page.fill("#id_woman_date_of_birth", "1996-04-12")
    page.fill("#id_woman_due_date", due)
    page.fill("#id_woman_bsn", "111222333")
    page.fill("#id_family_situation", "Woont met partner; huurachterstand.")
    _submit(page)
    assert re.search(r"/care/clients/\d+/$", page.url), page.url
    client_url = page.url
    client_id = int(client_url.rstrip("/").rsplit("/", 1)[1])
    assert page.get_by_role("heading", level=1).inner_text() == "Zoë Browsertest"

    # 2. A signal with the screening instrument: debts, above the threshold.
    page.goto(f"/care/clients/{client_id}/signals/new/")
    check(page)
    for name, value in DEBTS.items():
        page.check(f'input[name="{name}"][value="{value}"]')
    _submit(page)
    assert "/signals/" in page.url and page.url.rstrip("/").split("/")[-1].isdigit()
    check(page)

    # 3. The proposed route: step 1 of "pregnant with debts" goes to debt counselling.
    page.locator("a[href*='/routes/pregnant_debts/1/refer/']").click()
    page.wait_for_load_state()
    check(page)
    # Only the coalition's partners are offered: Amsterdam's debt counselling.
    debt_organisation = _select_containing(page, "#id_to_organisation", "Schuld")
    page.fill("#id_reason", "Huurachterstand; vraagt hulp bij het ordenen van de post.")
    _submit(page)
    assert re.search(r"/care/referrals/\d+/$", page.url), page.url
    referral_url = page.url
    assert "Aangevraagd" in page.content()

    # The family consents to sharing with debt counselling.
    page.goto(f"/care/clients/{client_id}/consents/new/")
    page.select_option("#id_recipient_organisation", label=debt_organisation)
    for category in ("identity", "financial", "care_coordination"):
        page.check(f"input[name=categories][value={category}]")
    page.fill("#id_purpose", "Hulp bij schulden en casuïstiekbespreking")
    _submit(page)
    assert page.url == client_url, page.url

    # 4. The debt counsellor signs in with two-factor authentication and accepts.
    counsellor = _second_session(page, server)
    log_in(counsellor, server, DEBT_COUNSELLOR)
    counsellor.goto(referral_url)
    assert "Zoë Browsertest" in counsellor.content()  # consent covers the identity
    counsellor.locator("form.ks-card", has_text="Accepteren").locator("button").click()
    counsellor.wait_for_load_state()
    assert "Geaccepteerd" in counsellor.content()
    check(counsellor)

    # 5. A case conference: the midwife organises, the debt counsellor takes part.
    page.goto("/care/conferences/new/")
    check(page)
    page.fill("#id_title", "Casuïstiek Zuidoost")
    starts = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.fill("#id_starts_at", f"{starts}T10:00")
    if page.locator("#id_location").count():
        page.fill("#id_location", "Buurtteam Zuidoost")
    _submit(page)
    assert re.search(r"/care/conferences/\d+/$", page.url), page.url
    conference_url = page.url
    page.locator("a[href$='/participants/add/']").click()
    page.wait_for_load_state()
    _select_containing(page, "#id_user", "Hoekstra")
    _submit(page)
    page.goto(conference_url)
    page.locator("a[href$='/items/new/']").click()
    page.wait_for_load_state()
    _select_containing(page, "#id_client", "Browsertest")
    page.fill("#id_summary", "Zwangere met huurachterstand; verwijzing naar schuldhulp loopt.")
    page.fill("#id_question", "Wie pakt de aanvraag van toeslagen op?")
    _submit(page)
    page.goto(conference_url)
    check(page)
    item_link = page.locator("a[href*='/items/']", has_text="Browsertest")
    assert item_link.count() == 1  # named: every participant may see the family
    item_link.click()
    page.wait_for_load_state()
    check(page)
    page.select_option("#id_kind", "task")
    page.fill("#id_text", "Toeslagen aanvragen met de cliënt")
    if page.locator("#id_category").count():
        page.select_option("#id_category", "financial")
    page.select_option("#id_responsible_organisation", label=debt_organisation)
    page.locator("form[action$='/decisions/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Toeslagen aanvragen met de cliënt" in page.content()
    # The debt counsellor, a participant, sees the family on the agenda by name.
    counsellor.goto(conference_url)
    assert "Browsertest" in counsellor.content()

    # 6. Debt counselling joins the care team; its professional becomes the contact person.
    page.goto(f"/care/clients/{client_id}/plan/")
    check(page)
    assert "Toeslagen aanvragen met de cliënt" in page.content()  # the decided task
    page.select_option("#id_team-organisation", label=debt_organisation)
    page.locator("form[action$='/team/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/care/clients/{client_id}/contact-person/")
    _select_containing(page, "#id_to", "Hoekstra")
    page.fill("#id_note", "Schulden staan nu centraal.")
    _submit(page)
    assert page.url == client_url
    contact = page.locator("h2", has_text="Regievoerder").locator("xpath=following-sibling::p[1]")
    assert "Hoekstra" in contact.inner_text()

    # 7. The timeline: the midwife sees everything; the debt counsellor, now in the care
    # team, sees it too, and the contact person's hand-over is on it.
    page.goto(f"/care/clients/{client_id}/timeline/")
    check(page)
    timeline = page.content()
    for expected in (
        "Zwanger met schulden",  # the signal's proposed route
        "Huurachterstand; vraagt hulp",  # the referral's reason
        "Casuïstiek Zuidoost",  # the conference decision
        "Schulden staan nu centraal.",  # the contact person's hand-over
    ):
        assert expected in timeline, expected
    counsellor.goto(f"/care/clients/{client_id}/timeline/")
    assert counsellor.get_by_role("heading", level=1).is_visible()
    assert "Casuïstiek Zuidoost" in counsellor.content()
    check(counsellor)
    counsellor.context.close()

    # 8. For the family: who saw what, a retention hold for a complaint, the record download.
    page.goto(client_url)
    page.get_by_role("link", name="Wie zag welke gegevens").click()
    page.wait_for_load_state()
    check(page)
    page.goto(client_url)
    page.get_by_role("link", name="Bewaarblokkades").click()
    page.wait_for_load_state()
    page.select_option("#id_reason", "complaint")
    page.get_by_role("button", name="Blokkade instellen").click()
    page.wait_for_load_state()
    assert "Klacht" in page.locator("table").inner_text()
    check(page)
    page.goto(client_url)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download het dossier voor de cliënt").click()
    assert info.value.suggested_filename.startswith(f"inzage-{client_id}-")
    page.get_by_role("link", name="Toon het dossier als leesbare pagina").click()
    page.wait_for_load_state()
    assert "Browsertest" in page.get_by_role("heading", level=1).inner_text()
    assert "Klacht" in page.content()  # the hold placed above
    check(page)

    bad = {url: describe(v) for url, v in failures.items() if v}
    assert not bad, bad
