"""A study round through the pages, end to end: round, guide versions, session, participants
with consent, a transcript imported with the pseudonymisation review (the raw text never
stored), two researchers coding independently, agreement, the consensus, memos, the audit
entries, and withdrawal of consent; then who may see what, and retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.experiences import services
from kansrijk.web.experiences.models import (
    Code,
    Coding,
    ConsensusCoding,
    Fragment,
    Guide,
    Memo,
    Respondent,
    Session,
    StudyRound,
    Transcript,
)
from kansrijk.web.retention.models import DeletionRecord
from tests.web import factories as f
from tests.web.coalitions import builders as cb

pytestmark = pytest.mark.django_db

#: A Dutch test text with names, places and organisations that must be replaced.
RAW = (
    "Interviewer: Hoe verloopt de samenwerking in Zwolle?\n"
    "Anna de Vries: Goed. Met mevrouw Kwakman van Kraamzorg De Wieg bel ik elke week over "
    "zwangeren met geldzorgen.\n"
    "Bram Jansen: Bij ons in Deventer is de financiering na de impulsgelden nog onzeker.\n"
    "Anna de Vries: We leren veel van de coalitie in Kampen, zij hebben een vast "
    "aanspreekpunt.\n"
    "Interviewer: Dank jullie wel."
)
SECRETS = ("Anna", "Vries", "Kwakman", "Zwolle", "Deventer", "Kampen", "De Wieg", "Jansen")


@dataclass
class Study:
    a: User
    b: User
    browser_a: Browser
    browser_b: Browser
    round: StudyRound


def _researcher(name: str, org: Any) -> User:
    return f.user(Role.MONITOR_ANALYST, org, username=name)


@pytest.fixture
def study() -> Study:
    rivm = f.organisation("RIVM", type=OrganisationType.NATIONAL)
    a, b = _researcher("onderzoeker_a", rivm), _researcher("onderzoeker_b", rivm)
    browser_a, browser_b = f.signed_in(a), f.signed_in(b)
    response = browser_a.post(
        reverse("experiences:round_new"),
        {"name": "Monitor 2021", "description": "", "retention_until": "2030-12-31"},
    )
    round_ = StudyRound.objects.get(name="Monitor 2021")
    assert response.status_code == 302
    browser_a.post(reverse("experiences:researcher_add", args=[round_.pk]), {"user": b.pk})
    assert set(round_.researchers.all()) == {a, b}
    return Study(a, b, browser_a, browser_b, round_)


def _url(name: str, study: Study, *args: int) -> str:
    return reverse(f"experiences:{name}", args=[study.round.pk, *args])


def _session(study: Study, kind: str = "group") -> Session:
    study.browser_a.post(
        _url("session_new", study),
        {"label": f"Sessie {kind}", "kind": kind, "held_on": "2021-10-05", "mode": "online"},
    )
    return study.round.sessions.get(label=f"Sessie {kind}")


def _participant(study: Study, session: Session, kind: str, **extra: Any) -> Respondent:
    data = {"stakeholder_type": kind, "consent_anonymous_use": "on", **extra}
    response = study.browser_a.post(_url("respondent_new", study, session.pk), data)
    assert response.status_code == 302
    return study.round.respondents.order_by("-pk").first()  # type: ignore[return-value]


def _import(study: Study, session: Session, raw: str = RAW, **labels: str) -> Transcript:
    """Upload, then accept every proposal (with the labels given by text), add one missed."""
    upload = SimpleUploadedFile("gesprek.txt", raw.encode(), content_type="text/plain")
    review = study.browser_a.post(
        _url("transcript_import", study, session.pk),
        {
            "title": "Groepsgesprek 1",
            "source_format": "text",
            "file": upload,
            "names": "Anna de Vries\nBram Jansen",
        },
    )
    assert review.status_code == 200
    assert not Transcript.objects.exists()  # nothing stored before the review
    proposals = review.context["proposals"]
    data: dict[str, Any] = {
        "title": "Groepsgesprek 1",
        "source_format": "text",
        "raw": raw,
        "count": len(proposals),
        "added": "impulsgelden => [Regeling]",
    }
    for i, p in proposals:
        data[f"text_{i}"] = p.text
        data[f"decision_{i}"] = "accept"
        data[f"label_{i}"] = labels.get(p.text, p.label)
    stored = study.browser_a.post(_url("transcript_store", study, session.pk), data)
    assert stored.status_code == 302, stored.content.decode()[:2000]
    return Transcript.objects.order_by("-pk").first()  # type: ignore[return-value]


def _every_stored_value() -> str:
    """Every value of every table, and the decoded sessions, as one text."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # our own tables' names
            values.extend(str(row) for row in cursor.fetchall())
    values.extend(str(SessionStore().decode(s.session_data)) for s in _sessions())
    return "\n".join(values)


def _sessions() -> list[Any]:
    return list(DjangoSession.objects.all())


def _mark(
    study: Study, browser: Browser, transcript: Transcript, quote: str, **extra: Any
) -> Fragment:
    browser.post(
        _url("fragment_new", study, transcript.pk), {"quote": quote, "occurrence": 1, **extra}
    )
    start = transcript.text.index(quote)
    return Fragment.objects.get(transcript=transcript, start=start)


def _code(study: Study, browser: Browser, fragment: Fragment, *names: str) -> None:
    codes = [Code.objects.get(codebook=study.round.codebook, name=n).pk for n in names]
    browser.post(
        _url("fragment_codes", study, fragment.transcript_id, fragment.pk), {"codes": codes}
    )


def test_round_guide_session_participants(study: Study) -> None:
    codebook = study.round.codebook
    assert [c.name for c in codebook.codes.all()] == [
        "Samenwerking",
        "Leren van elkaar",
        "Bekostiging & financiering",
        "Betrokkenheid (aanstaande) ouders",
    ]
    questions = {"q_project_leader": "Wat werkt in uw coalitie?\nWat kan beter?", "note": ""}
    study.browser_a.post(_url("guide_new", study), questions)
    questions["q_client"] = "Hoe was de zorg voor u?"
    study.browser_a.post(_url("guide_new", study), {**questions, "note": "vraag voor cliënten"})
    guides = Guide.objects.filter(round=study.round)
    assert [g.version for g in guides] == [2, 1]
    assert guides[0].questions.count() == 3 and guides[1].questions.count() == 2
    session = _session(study)
    assert session.guide == guides[0]
    coalition = cb.coalition("Kansrijke Start Zwolle")
    p1 = _participant(study, session, "care_provider", consent_quoting="on")
    p2 = _participant(study, session, "project_leader", coalition=coalition.pk)
    assert (p1.code, p2.code) == ("P01", "P02")
    assert p1.consent_quoting and not p2.consent_quoting and p2.coalition == coalition
    # Without consent to anonymous use nobody takes part.
    response = study.browser_a.post(
        _url("respondent_new", study, session.pk), {"stakeholder_type": "client"}
    )
    assert response.status_code == 200 and study.round.respondents.count() == 2
    page = study.browser_b.get(_url("round", study)).content.decode()
    assert "P01" in page and "Wat werkt in uw coalitie?" in page
    assert "Gespreksleidraad" in page and "Zorgverlener" in page  # Dutch first


def test_import_review_stores_only_the_pseudonymised_text(study: Study) -> None:
    session = _session(study)
    p1 = _participant(study, session, "care_provider")
    p2 = _participant(study, session, "project_leader")
    transcript = _import(
        study,
        session,
        **{"Anna de Vries": p1.speaker_label, "Bram Jansen": p2.speaker_label},
    )
    text = transcript.text
    for secret in SECRETS:
        assert secret not in text, secret
    assert "[P01 Zorgverlener]: Goed. Met mevrouw [Naam] van [Organisatie]" in text
    assert "in [Plaats]" in text and "[Regeling]" in text
    assert transcript.replacements >= 9
    stored = _every_stored_value()
    for secret in ("Kwakman", "Anna de Vries", "De Wieg", "Deventer"):
        assert secret not in stored, f"{secret} was stored"
    assert AuditEvent.objects.filter(
        action="create", detail=f"experiences transcript {transcript.pk} imported"
    ).exists()


def test_review_rejects_and_edits(study: Study) -> None:
    session = _session(study)
    upload = SimpleUploadedFile("g.txt", b"Mevrouw Kwakman uit Zwolle.", content_type="text/plain")
    review = study.browser_a.post(
        _url("transcript_import", study, session.pk),
        {"title": "t", "source_format": "text", "file": upload, "names": ""},
    )
    found = {p.text: i for i, p in review.context["proposals"]}
    assert set(found) == {"Kwakman", "Zwolle"}
    data = {
        "title": "t",
        "source_format": "text",
        "raw": "Mevrouw Kwakman uit Zwolle.",
        "count": 2,
        f"text_{found['Kwakman']}": "Kwakman",
        f"decision_{found['Kwakman']}": "accept",
        f"label_{found['Kwakman']}": "[Verloskundige]",
        f"text_{found['Zwolle']}": "Zwolle",
        f"decision_{found['Zwolle']}": "reject",
        f"label_{found['Zwolle']}": "[Plaats]",
    }
    study.browser_a.post(_url("transcript_store", study, session.pk), data)
    assert Transcript.objects.get().text == "Mevrouw [Verloskundige] uit Zwolle."
    # An accepted replacement without a label is refused, and nothing is stored.
    data[f"label_{found['Kwakman']}"] = ""
    again = study.browser_a.post(_url("transcript_store", study, session.pk), data)
    assert again.status_code == 200 and Transcript.objects.count() == 1


def test_import_refuses_broken_and_large_files(study: Study) -> None:
    session = _session(study)
    url = _url("transcript_import", study, session.pk)
    broken = SimpleUploadedFile("g.docx", b"not a zip")
    response = study.browser_a.post(
        url, {"title": "t", "source_format": "docx", "file": broken, "names": ""}
    )
    assert response.status_code == 200 and "proposals" not in response.context
    assert response.context["form"].errors["file"]
    large = SimpleUploadedFile("g.txt", b"a" * (services.MAX_UPLOAD + 1))
    response = study.browser_a.post(
        url, {"title": "t", "source_format": "text", "file": large, "names": ""}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_two_researchers_code_independently_then_agree(study: Study) -> None:
    session = _session(study)
    p1 = _participant(study, session, "care_provider")
    _participant(study, session, "project_leader")
    transcript = _import(study, session, **{"Anna de Vries": p1.speaker_label})
    f1 = _mark(study, study.browser_a, transcript, "bel ik elke week", respondent=p1.pk)
    f2 = _mark(study, study.browser_b, transcript, "de financiering na de [Regeling]")
    f3 = _mark(study, study.browser_a, transcript, "We leren veel van de coalitie")
    _code(study, study.browser_a, f1, "Samenwerking")
    _code(study, study.browser_a, f2, "Bekostiging & financiering")
    _code(study, study.browser_a, f3, "Leren van elkaar", "Samenwerking")
    _code(study, study.browser_b, f1, "Samenwerking")
    _code(study, study.browser_b, f2, "Bekostiging & financiering")
    _code(study, study.browser_b, f3, "Leren van elkaar")

    def others(browser: Browser) -> list[Any]:
        page = browser.get(_url("transcript", study, transcript.pk))
        return [row["others"] for row in page.context["fragments"]]

    # Before both finished, each sees only their own codes.
    assert others(study.browser_b) == [[], [], []]
    study.browser_a.post(_url("coding_done", study, transcript.pk))
    assert others(study.browser_a) == [[], [], []]  # b has not finished
    assert others(study.browser_b) == [[], [], []]  # b has not finished themself
    # Codes are fixed once finished.
    _code(study, study.browser_a, f1, "Leren van elkaar")
    assert set(f1.codings.filter(coder=study.a).values_list("code__name", flat=True)) == {
        "Samenwerking"
    }
    study.browser_b.post(_url("coding_done", study, transcript.pk))
    assert others(study.browser_b)[2] == [("onderzoeker_a", ["Leren van elkaar", "Samenwerking"])]
    rows = {r.code: r for r in study.browser_a.get(_url("round", study)).context["agreement"]}
    assert rows["Leren van elkaar"].kappa == pytest.approx(1.0)
    assert rows["Bekostiging & financiering"].alpha == pytest.approx(1.0)
    # Samenwerking: a = [1, 0, 1], b = [1, 0, 0]; p_o = 2/3, p_e = 2/3*1/3 + 1/3*2/3 = 4/9.
    assert rows["Samenwerking"].kappa == pytest.approx((2 / 3 - 4 / 9) / (1 - 4 / 9))
    assert rows["Betrokkenheid (aanstaande) ouders"].kappa is None

    consensus = study.browser_b.get(_url("consensus", study, transcript.pk))
    assert consensus.status_code == 200
    codes = {c.name: c.pk for c in Code.objects.filter(codebook=study.round.codebook)}
    study.browser_b.post(
        _url("consensus", study, transcript.pk),
        {
            f"codes_{f1.pk}": [codes["Samenwerking"]],
            f"codes_{f2.pk}": [codes["Bekostiging & financiering"]],
            f"codes_{f3.pk}": [codes["Leren van elkaar"], codes["Samenwerking"]],
        },
    )
    final = set(ConsensusCoding.objects.values_list("fragment", "code__name"))
    assert final == {
        (f1.pk, "Samenwerking"),
        (f2.pk, "Bekostiging & financiering"),
        (f3.pk, "Leren van elkaar"),
        (f3.pk, "Samenwerking"),
    }
    reads = AuditEvent.objects.filter(
        action="read", detail__startswith=f"experiences transcript {transcript.pk} ("
    )
    assert reads.count() == 5  # four transcript pages and one consensus page
    assert {e.username for e in reads} == {"onderzoeker_a", "onderzoeker_b"}
    assert {e.purpose for e in reads} == {"research"}


def test_consensus_waits_for_two_coders(study: Study) -> None:
    session = _session(study)
    transcript = _import(study, session)
    response = study.browser_a.get(_url("consensus", study, transcript.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("transcript", study, transcript.pk)


def test_codebook_and_memos(study: Study) -> None:
    theme = Code.objects.get(codebook=study.round.codebook, name="Samenwerking")
    study.browser_a.post(
        _url("code_new", study),
        {"name": "Warme overdracht", "parent": theme.pk, "definition": "Overdracht in persoon."},
    )
    study.round.codebook.refresh_from_db()
    code = Code.objects.get(name="Warme overdracht")
    assert code.parent == theme and code.since_version == study.round.codebook.version == 2
    assert code.history.count() == 1  # type: ignore[attr-defined]
    study.browser_a.post(_url("memo_new", study), {"text": "Thema's lijken te overlappen."})
    study.browser_a.post(_url("memo_new", study), {"text": "Bel 06-12345678 voor meer."})
    assert list(Memo.objects.values_list("text", flat=True)) == ["Thema's lijken te overlappen."]


def test_withdrawal_in_a_group_session(study: Study) -> None:
    session = _session(study)
    p1 = _participant(study, session, "care_provider")
    p2 = _participant(study, session, "project_leader")
    transcript = _import(
        study, session, **{"Anna de Vries": p1.speaker_label, "Bram Jansen": p2.speaker_label}
    )
    said_by_p1 = _mark(study, study.browser_a, transcript, "bel ik elke week")  # in P01's turn
    by_p2 = _mark(study, study.browser_a, transcript, "de financiering", respondent=p2.pk)
    _code(study, study.browser_a, said_by_p1, "Samenwerking")
    _code(study, study.browser_a, by_p2, "Bekostiging & financiering")
    before = transcript.text
    page = study.browser_a.get(_url("respondent_withdraw", study, p1.pk))
    assert "overwritten" in page.content.decode() or "overschreven" in page.content.decode()
    study.browser_a.post(_url("respondent_withdraw", study, p1.pk))
    p1.refresh_from_db()
    transcript.refresh_from_db()
    assert p1.withdrawn and p1.withdrawn_by == study.a
    assert not Fragment.objects.filter(pk=said_by_p1.pk).exists()
    assert not Coding.objects.filter(code__name="Samenwerking").exists()
    assert len(transcript.text) == len(before)
    assert "elke week" not in transcript.text and "vast aanspreekpunt" not in transcript.text
    assert transcript.text.count("[ingetrokken]") == 2
    assert "[P02 Projectleider Lokale Coalitie]: Bij ons" in transcript.text
    by_p2.refresh_from_db()
    assert by_p2.text == "de financiering"  # the other fragments keep their places
    assert AuditEvent.objects.filter(
        action="delete", detail__startswith=f"experiences participant {p1.pk} withdrew"
    ).exists()
    # Twice is refused.
    study.browser_a.post(_url("respondent_withdraw", study, p1.pk))
    assert Transcript.objects.filter(pk=transcript.pk).exists()


def test_withdrawal_of_the_only_participant_deletes_the_transcript(study: Study) -> None:
    session = _session(study, "individual")
    p1 = _participant(study, session, "expert_by_experience")
    transcript = _import(study, session)
    _code(
        study,
        study.browser_a,
        _mark(study, study.browser_a, transcript, "elke week"),
        "Samenwerking",
    )
    study.browser_a.post(_url("respondent_withdraw", study, p1.pk))
    assert not Transcript.objects.filter(pk=transcript.pk).exists()
    assert not Fragment.objects.exists() and not Coding.objects.exists()


def test_only_the_rounds_researchers_see_it(study: Study) -> None:
    session = _session(study)
    transcript = _import(study, session)
    rivm = study.a.organisation
    outsider = f.signed_in(_researcher("andere_onderzoeker", rivm))
    for url in (
        _url("round", study),
        _url("transcript", study, transcript.pk),
        _url("consensus", study, transcript.pk),
        _url("guide_new", study),
    ):
        assert outsider.get(url).status_code == 404, url
    assert study.round.name not in outsider.get(reverse("experiences:rounds")).content.decode()
    reads = AuditEvent.objects.filter(
        detail__startswith=f"experiences transcript {transcript.pk} ("
    )
    assert not reads.exists()
    for role in (Role.COORDINATOR, Role.PROFESSIONAL, Role.POLICY_ADVISOR, Role.ADMINISTRATOR):
        other = f.signed_in(f.user(role, f.organisation()))
        assert other.get(_url("transcript", study, transcript.pk)).status_code == 403, role
        assert other.get(reverse("experiences:rounds")).status_code == 403, role
    # Another round's objects do not exist inside this round.
    other_round = services.create_round(study.b, "Monitor 2024", date(2031, 1, 1))
    assert (
        study.browser_b.get(
            reverse("experiences:transcript", args=[other_round.pk, transcript.pk])
        ).status_code
        == 404
    )


def test_retention_deletes_transcripts_after_the_rounds_date(study: Study) -> None:
    session = _session(study)
    transcript = _import(study, session)
    _mark(study, study.browser_a, transcript, "elke week")
    day = study.round.retention_until
    call_command("experiences_retention", "--today", day.isoformat())
    assert Transcript.objects.filter(pk=transcript.pk).exists()  # not yet: the day itself
    after = (day + timedelta(days=1)).isoformat()
    call_command("experiences_retention", "--today", after, "--dry-run")
    assert Transcript.objects.filter(pk=transcript.pk).exists()
    call_command("experiences_retention", "--today", after)
    assert not Transcript.objects.exists() and not Fragment.objects.exists()
    record = DeletionRecord.objects.get(record_kind="experiences_transcript")
    assert record.record_id == transcript.pk and record.performed_by == "experiences_retention"
    entry = AuditEvent.objects.get(purpose="retention")
    assert entry.user_id is None and entry.detail.startswith(
        f"experiences transcript {transcript.pk}"
    )


def test_the_import_keeps_its_csrf_check(study: Study) -> None:
    """The import page reads its upload with in-memory handlers only, so it checks the CSRF
    token itself (``csrf_protect`` inside ``csrf_exempt``): the check must still refuse."""
    session = _session(study)
    strict = Browser(enforce_csrf_checks=True)
    strict.cookies = study.browser_a.cookies
    upload = SimpleUploadedFile("g.txt", b"Tekst.", content_type="text/plain")
    response = strict.post(
        _url("transcript_import", study, session.pk),
        {"title": "t", "source_format": "text", "file": upload, "names": ""},
    )
    assert response.status_code == 403


def test_the_review_page_carries_the_raw_text_with_its_line_breaks(study: Study) -> None:
    session = _session(study)
    upload = SimpleUploadedFile("g.txt", RAW.encode(), content_type="text/plain")
    review = study.browser_a.post(
        _url("transcript_import", study, session.pk),
        {"title": "t", "source_format": "text", "file": upload, "names": "Anna de Vries"},
    )
    page = review.content.decode()
    assert '<textarea name="raw"' in page and "Zwolle?\nAnna de Vries: Goed." in page
    assert "Anna de Vries" in review.context["form"].initial["names"]


def test_turns_run_to_the_next_speaker() -> None:
    respondent = Respondent(code="P03", stakeholder_type="client")
    text = (
        "Interviewer: Wat vond u?\n"
        "[P03 Cliënt]: Het was goed.\n"
        "Dat is zo: de kraamzorg kwam snel.\n"
        "Moderator 2: Dank u.\n"
        "P03: Graag gedaan.\n"
        "P030: Iemand anders."
    )
    spans = services.turn_spans(text, respondent)
    assert [text[a:b] for a, b in spans] == [
        "[P03 Cliënt]: Het was goed.\nDat is zo: de kraamzorg kwam snel.",
        "P03: Graag gedaan.",
    ]
