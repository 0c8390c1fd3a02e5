"""A study round from guide to published quotes, in the browser (issue 19, "Done when").

Two monitor analysts of the demo ("analist", "onderzoeker") create a round and its interview
guide, add a session with two participants and their consent, import a Dutch transcript with
names and places that the review replaces, code it independently, see kappa, record the
consensus; one proposes a quote, the other approves it; ``manage experiences_publish`` and
``kansrijk report national --experiences`` put it in the factsheet's "Ervaringen" section.
Then the quoted participant withdraws: their fragment and quote are gone, and after
publishing again so is the quote in the factsheet.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from tests.browser.conftest import Server
from tests.browser.helpers import log_in, log_out

#: A Dutch test text: two speakers by name, a person, an organisation and two places.
RAW = (
    "Interviewer: Hoe verloopt de samenwerking in Zwolle?\n"
    "Anna de Vries: Sinds het overleg met mevrouw Kwakman van Kraamzorg De Wieg weten we "
    "elkaar veel sneller te vinden.\n"
    "Bram Jansen: Bij ons in Deventer is de financiering na de impulsgelden nog onzeker.\n"
    "Interviewer: Dank jullie wel."
)
SECRETS = ("Anna", "Vries", "Kwakman", "De Wieg", "Zwolle", "Deventer", "Bram", "Jansen")
P01 = "[P01 Projectleider Lokale Coalitie]"
P02 = "[P02 Zorgverlener]"
QUOTE = "weten we elkaar veel sneller te vinden"
OTHER = "de financiering na de impulsgelden nog onzeker"


def _submit(page: Any) -> None:
    """Submit the page's (first) form in the content, not the header's log-out form."""
    page.locator("main form.utrecht-form button[type=submit]").first.click()
    page.wait_for_load_state()


def _fill_session(page: Any) -> None:
    page.locator("[name=label]").fill("Groepsgesprek Zwolle-Deventer")
    page.locator("[name=kind][value=group]").check()
    page.locator("[name=held_on]").fill("2021-10-05")
    page.locator("[name=mode][value=online]").check()
    _submit(page)


def _participant(page: Any, round_url: str, session_id: str, kind: str) -> None:
    page.goto(f"{round_url}sessions/{session_id}/participants/new/")
    page.locator("[name=stakeholder_type]").select_option(kind)
    for consent in ("consent_recording", "consent_anonymous_use", "consent_quoting"):
        page.locator(f"[name={consent}]").check()
    _submit(page)


def _fragment(page: Any, text: str, speaker: str) -> None:
    page.locator("[name=quote]").fill(text)
    page.locator("[name=respondent]").select_option(label=speaker)
    page.locator("main form.utrecht-form", has=page.locator("[name=quote]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()


def _code_and_finish(page: Any, transcript_url: str) -> None:
    """Code both fragments (Samenwerking; Bekostiging & financiering) and finish."""
    page.goto(transcript_url)
    for text, theme in ((QUOTE, "Samenwerking"), (OTHER, "Bekostiging & financiering")):
        block = page.locator(".ks-fragment", has_text=text)
        block.get_by_label(theme, exact=True).check()
        block.locator("button[type=submit]").click()
        page.wait_for_load_state()
    page.locator("main form.utrecht-form[action$='/done/'] button[type=submit]").click()
    page.wait_for_load_state()


def _publish(server: Server, round_id: str, out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env["KANSRIJK_DATA_DIR"] = str(server.data_dir)
    env["KANSRIJK_ENV"] = "development"
    cli = [sys.executable, "-m", "kansrijk.cli", "manage", "experiences_publish"]
    done = subprocess.run(
        [*cli, "--round", round_id, "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _factsheet(server: Server, quotes: Path, out: Path) -> str:
    result = CliRunner().invoke(
        app,
        [
            "report",
            "national",
            "-r",
            str(server.monitor_dir),
            "-o",
            str(out),
            "--formats",
            "html",
            "--experiences",
            str(quotes),
        ],
    )
    assert result.exit_code == 0, result.output
    return (out / "factsheet-nl.html").as_uri()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="publishing reads the server's database, which is SQLite in its data directory here",
)
def test_a_round_from_guide_to_published_quotes(page: Any, server: Server, tmp_path: Path) -> None:
    name = f"Monitor 2021 browser {uuid.uuid4().hex[:6]}"
    log_in(page, server, "analist")
    # The round, a second researcher, the interview guide.
    page.goto("/experiences/rounds/new/")
    page.locator("[name=name]").fill(name)
    page.locator("[name=retention_until]").fill("2031-12-31")
    _submit(page)
    match = re.search(r"/experiences/rounds/(\d+)/$", page.url)
    assert match, page.url
    round_id = match.group(1)
    round_url = f"/experiences/rounds/{round_id}/"
    page.locator("[name=user]").select_option(label="onderzoeker")
    page.locator("main form.utrecht-form[action$='/researchers/'] button").click()
    page.wait_for_load_state()
    page.goto(f"{round_url}guide/new/")
    page.locator("[name=q_project_leader]").fill("Wat werkt in uw coalitie?\nWat kan beter?")
    page.locator("[name=q_care_provider]").fill("Hoe werkt u samen met het sociale domein?")
    _submit(page)
    assert page.get_by_text("Wat werkt in uw coalitie?").is_visible()
    # A group session with two participants who consent to recording, use and quoting.
    page.goto(f"{round_url}sessions/new/")
    _fill_session(page)
    session_id = re.search(
        r"sessions/(\d+)/participants/new/",
        page.locator("a[href*='/participants/new/']").first.get_attribute("href") or "",
    )
    assert session_id
    _participant(page, round_url, session_id.group(1), "project_leader")
    _participant(page, round_url, session_id.group(1), "care_provider")
    assert page.locator("table", has_text="P02").count() == 1

    # Import: the review lists the names and places and replaces them before storing.
    page.goto(f"{round_url}sessions/{session_id.group(1)}/import/")
    page.locator("[name=title]").fill("Groepsgesprek 1")
    page.locator("[name=source_format][value=text]").check()
    page.locator("[name=file]").set_input_files(
        files=[{"name": "gesprek.txt", "mimeType": "text/plain", "buffer": RAW.encode()}]
    )
    page.locator("[name=names]").fill("Anna de Vries\nBram Jansen")
    _submit(page)
    found = page.locator("input[name^=text_]")
    detected = {found.nth(i).get_attribute("value") for i in range(found.count())}
    assert {"Anna de Vries", "Bram Jansen", "Kwakman", "Zwolle", "Deventer"} <= detected
    for i in range(found.count()):
        index = (found.nth(i).get_attribute("name") or "").removeprefix("text_")
        label = {"Anna de Vries": P01, "Bram Jansen": P02}.get(
            found.nth(i).get_attribute("value") or ""
        )
        if label:
            page.locator(f"[name=label_{index}]").fill(label)
    _submit(page)  # stored: the transcript's page
    assert re.search(r"/transcripts/\d+/$", page.url), page.url
    transcript_url = page.url
    stored = page.locator(".ks-transcript").inner_text()
    for secret in SECRETS:
        assert secret not in stored, secret
    assert f"{P01}: Sinds het overleg met mevrouw [Naam]" in stored

    # Two researchers code on their own, then kappa and the consensus.
    _fragment(page, QUOTE, "P01 (Projectleider Lokale Coalitie)")
    _fragment(page, OTHER, "P02 (Zorgverlener)")
    _code_and_finish(page, transcript_url)
    log_out(page)
    log_in(page, server, "onderzoeker")
    _code_and_finish(page, transcript_url)
    page.goto(round_url)
    agreement = page.locator("table", has_text="Samenwerking").last
    row = agreement.locator("tr", has_text="Samenwerking").first
    assert "1,00" in row.inner_text()  # Cohen's kappa (and alpha) shown
    page.goto(transcript_url + "consensus/")
    _submit(page)
    page.goto(transcript_url)
    page.locator(".ks-fragment", has_text=QUOTE).get_by_role("link").first.click()
    page.wait_for_load_state()
    page.locator("[name=code]").select_option(label="Samenwerking")
    page.locator("[name=text]").fill(QUOTE)
    _submit(page)
    log_out(page)

    # The second researcher approves; published, the quote is in the factsheet's section.
    log_in(page, server, "analist")
    page.goto(f"{round_url}quotes/")
    page.locator("form[action*='/quotes/'][action$='/approve/'] button").first.click()
    page.wait_for_load_state()
    assert page.locator("main").get_by_text(QUOTE).count() == 1
    _publish(server, round_id, tmp_path / "quotes")
    page.goto(_factsheet(server, tmp_path / "quotes", tmp_path / "report"))
    section = page.locator("#experiences")
    assert section.get_by_role("heading", name="Ervaringen met Kansrijke Start").is_visible()
    assert section.locator("blockquote").get_by_text(QUOTE).is_visible()
    assert section.locator("figcaption").first.inner_text() == "Projectleider Lokale Coalitie"
    assert "P01" not in section.inner_text()

    # P01 withdraws: their fragment and quote go, and from the factsheet after publishing.
    page.goto(round_url)
    page.locator("tr", has_text="P01").get_by_role("link").click()
    page.wait_for_load_state()
    _submit(page)
    page.goto(transcript_url)
    assert page.locator(".ks-fragment", has_text=QUOTE).count() == 0
    assert page.locator(".ks-fragment", has_text=OTHER).count() == 1
    page.goto(f"{round_url}quotes/")
    assert page.locator("main").get_by_text(QUOTE).count() == 0
    _publish(server, round_id, tmp_path / "quotes")
    page.goto(_factsheet(server, tmp_path / "quotes", tmp_path / "report2"))
    assert page.locator("#experiences blockquote").count() == 0
    assert page.locator("#experiences .experiences-none").is_visible()
