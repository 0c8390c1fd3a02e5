"""Quotes for publication: only from a fragment after consensus, only with the quoted
participant's consent (checked on the server), checked for identifying details at proposal
and again at approval, approved by a second researcher; withdrawal deletes them; the approved
quotes by theme and stakeholder type, experts by experience apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import OrganisationType, Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.experiences import services
from kansrijk.web.experiences.models import (
    Code,
    Fragment,
    Quote,
    Respondent,
    Session,
    SessionKind,
    SessionMode,
    StudyRound,
    Transcript,
)
from tests.web import factories as f

pytestmark = pytest.mark.django_db

TEXT = (
    "Interviewer: Hoe gaat de samenwerking?\n"
    "[P01 Projectleider Lokale Coalitie]: De samenwerking met de verloskundigen gaat veel "
    "beter sinds we met Zonnekind elke maand overleggen.\n"
    "[P02 Zorgverlener]: Wij merken dat ook, al is de financiering onzeker.\n"
    "[P03 Ervaringsdeskundige]: Ouders willen meedenken, vraag het ze gewoon.\n"
    "Interviewer: Mevrouw Kwakman, dank."
)
F1 = (
    "De samenwerking met de verloskundigen gaat veel beter sinds we met Zonnekind elke maand "
    "overleggen."
)
F2 = "Wij merken dat ook, al is de financiering onzeker."
F3 = "Ouders willen meedenken, vraag het ze gewoon."


@dataclass
class World:
    a: User
    b: User
    round: StudyRound
    transcript: Transcript
    p1: Respondent
    p2: Respondent
    p3: Respondent
    fragments: dict[str, Fragment]
    codes: dict[str, Code]


def _world(consensus: bool = True) -> World:
    rivm = f.organisation("RIVM", type=OrganisationType.NATIONAL)
    a = f.user(Role.MONITOR_ANALYST, rivm, username="onderzoeker_a")
    b = f.user(Role.MONITOR_ANALYST, rivm, username="onderzoeker_b")
    round_ = services.create_round(a, "Monitor 2021", date(2030, 1, 1))
    services.add_researcher(round_, b, a)
    session = Session.objects.create(
        round=round_,
        label="Groepsgesprek",
        kind=SessionKind.GROUP,
        held_on=date(2021, 10, 5),
        mode=SessionMode.ONLINE,
    )

    def participant(kind: str, quoting: bool) -> Respondent:
        return services.add_respondent(
            session,
            a,
            stakeholder_type=kind,
            organisation=None,
            coalition=None,
            recording=True,
            anonymous_use=True,
            quoting=quoting,
        )

    p1 = participant("project_leader", True)
    p2 = participant("care_provider", False)
    p3 = participant("expert_by_experience", True)
    transcript = services.store(
        session, a, title="Groepsgesprek", source_format="text", raw=TEXT, replacements={}
    )
    fragments = {
        "f1": services.add_fragment(transcript, a, F1),
        "f2": services.add_fragment(transcript, a, F2),
        "f3": services.add_fragment(transcript, a, F3),
    }
    codes = {c.name: c for c in round_.codebook.codes.all()}
    chosen = {
        "f1": [codes["Samenwerking"]],
        "f2": [codes["Bekostiging & financiering"]],
        "f3": [codes["Betrokkenheid (aanstaande) ouders"]],
    }
    for coder in (a, b):
        for key, fragment in fragments.items():
            services.set_codes(fragment, coder, chosen[key])
        services.mark_done(transcript, coder)
    if consensus:
        services.record_consensus(transcript, b, {fragments[k].pk: chosen[k] for k in fragments})
    transcript.refresh_from_db()
    return World(a, b, round_, transcript, p1, p2, p3, fragments, codes)


def test_a_quote_is_proposed_and_approved_by_a_second_researcher() -> None:
    w = _world()
    quote = services.propose_quote(
        w.fragments["f1"], w.a, w.codes["Samenwerking"], "De samenwerking … gaat veel beter"
    )
    assert quote.respondent == w.p1
    assert quote.role_label == "Projectleider Lokale Coalitie"
    assert not quote.approved
    with pytest.raises(services.ExperiencesError, match="second researcher"):
        services.approve_quote(quote, w.a)
    services.approve_quote(quote, w.b)
    quote.refresh_from_db()
    assert quote.approved_by == w.b
    published = services.published_quotes(w.round)
    assert [
        (g.theme, g.role_label, [q.text for q in g.quotes]) for g in published.professionals
    ] == [("Samenwerking", "Projectleider Lokale Coalitie", ["De samenwerking … gaat veel beter"])]
    assert published.experts_by_experience == ()


def test_experts_by_experience_are_reported_apart() -> None:
    w = _world()
    theme = w.codes["Betrokkenheid (aanstaande) ouders"]
    quote = services.propose_quote(w.fragments["f3"], w.a, theme, F3)
    services.approve_quote(quote, w.b)
    published = services.published_quotes(w.round)
    assert published.professionals == ()
    assert [
        (g.theme, g.stakeholder_type, g.role_label) for g in published.experts_by_experience
    ] == [("Betrokkenheid (aanstaande) ouders", "expert_by_experience", "Ervaringsdeskundige")]


def test_quotes_need_consensus_consent_an_excerpt_and_no_identifying_detail() -> None:
    w = _world(consensus=False)
    with pytest.raises(services.ExperiencesError, match="consensus"):
        services.propose_quote(w.fragments["f1"], w.a, w.codes["Samenwerking"], F1)
    w = _world_again(w)
    samenwerking, geld = w.codes["Samenwerking"], w.codes["Bekostiging & financiering"]
    with pytest.raises(services.ExperiencesError, match="consensus"):  # not its consensus code
        services.propose_quote(w.fragments["f1"], w.a, geld, F1)
    with pytest.raises(services.ExperiencesError, match="consent"):  # P02 did not consent
        services.propose_quote(w.fragments["f2"], w.a, geld, F2)
    with pytest.raises(services.ExperiencesError, match="excerpt"):  # words changed
        services.propose_quote(w.fragments["f1"], w.a, samenwerking, "De samenwerking is top")
    # A name the import missed: the fragment of the interviewer's line holds "Kwakman".
    names = services.add_fragment(w.transcript, w.a, "Mevrouw Kwakman, dank.", respondent=w.p1)
    services.record_consensus(
        w.transcript,
        w.b,
        {
            **{fr.pk: [c.code for c in fr.consensus.all()] for fr in w.fragments.values()},
            names.pk: [samenwerking],
        },
    )
    with pytest.raises(services.ExperiencesError, match="identifying"):
        services.propose_quote(names, w.a, samenwerking, "Mevrouw Kwakman, dank.")
    assert not Quote.objects.exists()


def _world_again(w: World) -> World:
    chosen = {
        w.fragments["f1"].pk: [w.codes["Samenwerking"]],
        w.fragments["f2"].pk: [w.codes["Bekostiging & financiering"]],
        w.fragments["f3"].pk: [w.codes["Betrokkenheid (aanstaande) ouders"]],
    }
    services.record_consensus(w.transcript, w.b, chosen)
    w.transcript.refresh_from_db()
    return w


def test_approval_checks_for_identifying_details_again() -> None:
    w = _world()
    quote = services.propose_quote(w.fragments["f1"], w.a, w.codes["Samenwerking"], F1)
    # Zonnekind becomes known as an organisation after the proposal: approval refuses.
    f.organisation("Zonnekind")
    with pytest.raises(services.ExperiencesError, match="identifying"):
        services.approve_quote(quote, w.b)
    quote.refresh_from_db()
    assert not quote.approved


def test_withdrawal_deletes_the_participants_quotes() -> None:
    w = _world()
    mine = services.propose_quote(w.fragments["f1"], w.a, w.codes["Samenwerking"], F1)
    services.approve_quote(mine, w.b)
    theirs = services.propose_quote(
        w.fragments["f3"], w.a, w.codes["Betrokkenheid (aanstaande) ouders"], F3
    )
    result = services.withdraw(w.p1, w.a)
    assert result.quotes_deleted == 1
    assert list(Quote.objects.all()) == [theirs]
    assert services.published_quotes(w.round).professionals == ()


def test_the_pages_enforce_consent_and_four_eyes() -> None:
    w = _world()
    browser_a, browser_b = f.signed_in(w.a), f.signed_in(w.b)

    def url(name: str, *args: int) -> str:
        return reverse(f"experiences:{name}", args=[w.round.pk, *args])

    page = browser_a.get(url("quote_new", w.transcript.pk, w.fragments["f2"].pk))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        action="read", detail=f"experiences transcript {w.transcript.pk} (quote page)"
    ).exists()
    geld = w.codes["Bekostiging & financiering"]
    # The form would not offer it, but the server refuses a quote without consent.
    refused = browser_a.post(
        url("quote_new", w.transcript.pk, w.fragments["f2"].pk), {"code": geld.pk, "text": F2}
    )
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert not Quote.objects.exists()
    done = browser_a.post(
        url("quote_new", w.transcript.pk, w.fragments["f1"].pk),
        {"code": w.codes["Samenwerking"].pk, "text": "De samenwerking met de verloskundigen"},
    )
    assert done.status_code == 302
    quote = Quote.objects.get()
    browser_a.post(url("quote_approve", quote.pk))
    quote.refresh_from_db()
    assert not quote.approved  # four eyes
    browser_b.post(url("quote_approve", quote.pk))
    quote.refresh_from_db()
    assert quote.approved
    listing = browser_b.get(url("quotes"))
    assert "De samenwerking met de verloskundigen" in listing.content.decode()
    browser_b.post(url("quote_remove", quote.pk))
    assert not Quote.objects.exists()


def test_excerpts() -> None:
    assert services.is_excerpt("a b … d", "a  b c\nd")
    assert services.is_excerpt("b [...] d", "a b c d")
    assert not services.is_excerpt("d … a", "a b c d")  # order kept
    assert not services.is_excerpt("…", "a b")
