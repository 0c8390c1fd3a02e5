"""The rules of the experiences study (views hold none; they authorise and render).

**Who.** A round exists only for its researchers (``rounds_of``): users whose role holds
``experiences.research`` (``policy.py``) and who are assigned to the round. Everyone else gets
404 for its pages; the policy gives other roles 403 before that.

**Audit.** Every read of a transcript's text (the transcript page, the consensus page) writes
an entry to the NEN 7513 audit log (``audit.log.record``; action ``read``, purpose
``research``; no client id, the transcript in ``detail``). So do the import (``create``), a
withdrawal and the retention run (``delete``).

**Import.** ``prepare`` reads the upload and proposes replacements; the researcher reviews
them; ``store`` applies the accepted ones to the raw text and stores only the result. Between
the two the raw text lives in the review form in the researcher's browser, never in the
database, a session, a cache or a file (the view keeps uploads in memory).

**Independent coding.** Each researcher codes a transcript's fragments on their own and then
marks the transcript done; their codings are fixed from then. A researcher sees the codings of
others on a transcript only once they have finished themselves and at least one other has
(``visible_codings``). Agreement compares the first two who finished; the consensus, recorded
by any researcher of the round after that, is the final coding.

**Quotes.** A researcher proposes an excerpt of a fragment that has a consensus coding as a
quote (``propose_quote``): only when the one participant whose words it holds consented to
being quoted and has not withdrawn, only when every part of the excerpt is the fragment's own
words, and only when the identifying check (``pseudonymise.detect``, which includes
``coordination.identifying``) finds nothing. A second researcher approves it
(``approve_quote``: four eyes; consent and the check again). ``published_quotes`` gives the
approved quotes of a round by theme and stakeholder type, experts by experience apart.

**Withdrawal** of consent (``withdraw``) removes, at once and for good:

1. every transcript of the participant's session when no participant of that session is left
   with consent (an individual interview: its transcript), with all its fragments, codings,
   consensus and memos;
2. in the transcripts of a group session that others still take part in: the participant's
   turns (lines starting with their speaker label, ``[P03 ...]:`` or ``P03:``, up to the next
   line starting with a speaker label, ``_SPEAKER``) are overwritten with "[ingetrokken]"
   (same length, so the other fragments keep their places), and every fragment that is
   attributed to them or overlaps one of their turns is deleted, with its codings and
   consensus; a fragment attributed to them outside their turns is overwritten too;
3. fragments attributed to them in any other transcript of the round, with their codings
   and consensus;
4. every quote of the participant's words (``Quote.respondent``), approved or not, and every
   quote of a fragment deleted above.

The participant's row stays (code, role, organisation, the consent they gave and when it was
withdrawn) as the record of the withdrawal; the withdrawal itself is audited.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kansrijk.web import policy
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditAction, AuditPurpose
from kansrijk.web.coalitions.models import Coalition
from kansrijk.web.experiences import agreement as stats
from kansrijk.web.experiences import pseudonymise
from kansrijk.web.experiences.models import (
    ROLE_LABELS,
    Code,
    Codebook,
    Coding,
    CodingDone,
    ConsensusCoding,
    Fragment,
    Guide,
    GuideQuestion,
    Memo,
    Quote,
    Respondent,
    Session,
    StakeholderType,
    StudyRound,
    Transcript,
)
from kansrijk.web.retention.models import DeletionAction, DeletionRecord

RESEARCH = "experiences.research"
#: Largest transcript text accepted (characters), and largest upload (bytes).
MAX_TEXT = 1_000_000
MAX_UPLOAD = 2 * 1024 * 1024
PURPOSE = AuditPurpose.RESEARCH
WITHDRAWN = "[ingetrokken]"
#: RIVM's four themes of the 2021 experiences study: the default codebook (content, Dutch).
DEFAULT_THEMES: tuple[tuple[str, str, str], ...] = (
    (
        "Samenwerking",
        "Samenwerking tussen partners in het medische en het sociale domein binnen de lokale "
        "coalitie: elkaar kennen en vinden, rollen en taken, afstemming en overdracht.",
        "Sinds het coalitieoverleg weten de verloskundige en het wijkteam elkaar sneller te "
        "vinden.",
    ),
    (
        "Leren van elkaar",
        "Kennis en ervaringen delen tussen partners en tussen coalities: wat werkte waar, "
        "intervisie, de Lerende Lokale Monitor.",
        "Van de coalitie in de buurgemeente hebben we het vaste aanspreekpunt overgenomen.",
    ),
    (
        "Bekostiging & financiering",
        "De financiering van de aanpak en van de inzet van partners: impulsgelden, "
        "structurele bekostiging, schotten tussen budgetten.",
        "Na de impulsgelden is onduidelijk wie de coördinatie betaalt.",
    ),
    (
        "Betrokkenheid (aanstaande) ouders",
        "De stem en de betrokkenheid van (aanstaande) ouders en ervaringsdeskundigen bij het "
        "ontwerpen en uitvoeren van de aanpak.",
        "We hebben moeders gevraagd mee te denken over de folder.",
    ),
)


class ExperiencesError(Exception):
    """A change the study's rules refuse (the message says why, in English; views translate
    by kind)."""


# --- Who ------------------------------------------------------------------------------------


def is_researcher_role(user: User) -> bool:
    return user.is_active and user.role in policy.roles_with(RESEARCH)


def rounds_of(user: User) -> QuerySet[StudyRound]:
    """The rounds the user is a researcher of."""
    if not is_researcher_role(user):
        return StudyRound.objects.none()
    return StudyRound.objects.filter(researchers=user)


def round_for(user: User, pk: int) -> StudyRound:
    """The round if the user is one of its researchers (404 otherwise)."""
    found = rounds_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def candidate_researchers(round_: StudyRound) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role__in=policy.roles_with(RESEARCH))
        .exclude(pk__in=round_.researchers.values("pk"))
        .order_by("username")
    )


# --- Audit ----------------------------------------------------------------------------------


def log(user: User | None, action: str, detail: str, *, purpose: str = PURPOSE) -> None:
    audit.record(
        action=action, user=user, purpose=purpose, flags=Flags(authorised=True), detail=detail
    )


def log_transcript_read(user: User, transcript: Transcript, page: str) -> None:
    """Every read of a transcript's text is one audit entry."""
    log(user, AuditAction.READ, f"experiences transcript {transcript.pk} ({page})")


# --- Rounds, guides, sessions, participants -----------------------------------------------


@transaction.atomic
def create_round(user: User, name: str, retention_until: date, description: str = "") -> StudyRound:
    """A new round with the user as its first researcher and the default codebook."""
    if not is_researcher_role(user):
        raise ExperiencesError("only researchers create study rounds")
    round_ = StudyRound.objects.create(
        name=name, description=description, retention_until=retention_until, created_by=user
    )
    round_.researchers.add(user)
    codebook = Codebook.objects.create(round=round_)
    for position, (theme, definition, example) in enumerate(DEFAULT_THEMES, start=1):
        Code.objects.create(
            codebook=codebook, name=theme, definition=definition, example=example, position=position
        )
    log(user, AuditAction.CREATE, f"experiences round {round_.pk}")
    return round_


def add_researcher(round_: StudyRound, user: User, by: User) -> None:
    if not is_researcher_role(user):
        raise ExperiencesError("this user's role cannot do research")
    round_.researchers.add(user)
    log(by, AuditAction.UPDATE, f"experiences round {round_.pk}: researcher {user.pk} added")


def latest_guide(round_: StudyRound) -> Guide | None:
    return round_.guides.order_by("-version").first()


@transaction.atomic
def new_guide_version(
    round_: StudyRound, user: User, questions: Mapping[str, Iterable[str]], note: str = ""
) -> Guide:
    """A new version of the round's interview guide with these questions per stakeholder type
    (the earlier versions stay, as do the sessions that used them)."""
    version = (round_.guides.aggregate(v=Max("version"))["v"] or 0) + 1
    guide = Guide.objects.create(round=round_, version=version, note=note, created_by=user)
    GuideQuestion.objects.bulk_create(
        GuideQuestion(guide=guide, stakeholder_type=kind, position=position, text=text)
        for kind in StakeholderType.values
        for position, text in enumerate(
            (t.strip() for t in questions.get(kind, ()) if t.strip()), start=1
        )
    )
    return guide


def next_code(round_: StudyRound) -> str:
    """P01, P02, ...: the next free participant code of the round."""
    numbers = [
        int(code[1:])
        for code in round_.respondents.values_list("code", flat=True)
        if code[1:].isdigit()
    ]
    return f"P{max(numbers, default=0) + 1:02d}"


def add_respondent(
    session: Session,
    user: User,
    *,
    stakeholder_type: str,
    organisation: Organisation | None,
    coalition: Coalition | None,
    recording: bool,
    anonymous_use: bool,
    quoting: bool,
) -> Respondent:
    if not anonymous_use:
        raise ExperiencesError("without consent to anonymous use a participant takes no part")
    respondent = Respondent.objects.create(
        round=session.round,
        session=session,
        code=next_code(session.round),
        stakeholder_type=stakeholder_type,
        organisation=organisation,
        coalition=coalition,
        consent_recording=recording,
        consent_anonymous_use=anonymous_use,
        consent_quoting=quoting,
        consent_recorded_by=user,
    )
    log(user, AuditAction.CREATE, f"experiences participant {respondent.pk}: consent recorded")
    return respondent


# --- Withdrawal -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Withdrawal:
    transcripts_deleted: int
    turns_overwritten: int
    fragments_deleted: int
    codings_deleted: int
    quotes_deleted: int = 0


#: A line that starts a turn: a bracketed label (``[P02 Projectleider Lokale Coalitie]:``,
#: ``[Naam]:``), a participant code (``P02:``) or one word, optionally numbered
#: (``Interviewer:``, ``Moderator 2:``). A sentence with a colon in it does not end a turn.
_SPEAKER = re.compile(
    r"^(?:\[[^\]\n]{1,80}\]|P\d{1,3}|[A-Z][\w'-]{0,30}(?: \d{1,2})?)\s*:", re.MULTILINE
)


def turn_spans(text: str, respondent: Respondent) -> list[tuple[int, int]]:
    """Where the respondent speaks: from each line starting with their label (``[P03 ...]:``,
    ``[P03]:`` or ``P03:``) up to the next line that starts with a speaker label."""
    own = re.compile(rf"^\[?{re.escape(respondent.code)}(?:\]|\s[^\]\n]*\])?:", re.MULTILINE)
    starts = sorted(m.start() for m in _SPEAKER.finditer(text))
    spans = []
    for m in own.finditer(text):
        following = [s for s in starts if s > m.start()]
        end = following[0] - 1 if following else len(text)
        spans.append((m.start(), max(end, m.end())))
    return spans


def _blank(segment: str) -> str:
    """The segment overwritten, line by line, keeping its length and line breaks."""
    lines = []
    for line in segment.split("\n"):
        if len(line) >= len(WITHDRAWN):
            lines.append(WITHDRAWN + " " * (len(line) - len(WITHDRAWN)))
        else:
            lines.append("·" * len(line))
    return "\n".join(lines)


@transaction.atomic
def withdraw(respondent: Respondent, user: User) -> Withdrawal:
    """Withdraw the respondent's consent and remove what the module docstring lists."""
    if respondent.withdrawn:
        raise ExperiencesError("consent was withdrawn already")
    respondent.withdrawn_at = timezone.now()
    respondent.withdrawn_by = user
    respondent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    session = respondent.session
    # Their quotes first (also those of fragments that stay: a fragment without a speaker).
    quotes = Quote.objects.filter(respondent=respondent).delete()[0]
    others = session.respondents.filter(withdrawn_at__isnull=True).exists()
    transcripts = list(session.transcripts.all())
    deleted_transcripts = overwritten = fragments = codings = 0
    if not others:
        for transcript in transcripts:
            codings += Coding.objects.filter(fragment__transcript=transcript).count()
            fragments += transcript.fragments.count()
            quotes += Quote.objects.filter(fragment__transcript=transcript).count()
            transcript.delete()
            deleted_transcripts += 1
    else:
        for transcript in transcripts:
            turns = turn_spans(transcript.text, respondent)
            overlap = Q()
            for start, end in turns:
                overlap |= Q(start__lt=end, end__gt=start)
            removed = list(transcript.fragments.filter(Q(respondent=respondent) | overlap))
            # Their fragments outside their turns are overwritten too (inside, the turn is).
            outside = [
                (f.start, f.end)
                for f in removed
                if not any(start <= f.start and f.end <= end for start, end in turns)
            ]
            text = transcript.text
            for start, end in [*turns, *outside]:
                text = text[:start] + _blank(text[start:end]) + text[end:]
            codings += Coding.objects.filter(fragment__in=removed).count()
            quotes += Quote.objects.filter(fragment__in=removed).count()
            fragments += len(removed)
            Fragment.objects.filter(pk__in=[f.pk for f in removed]).delete()
            if text != transcript.text:
                transcript.text = text
                transcript.save(update_fields=["text"])
            overwritten += len(turns)
    # Fragments attributed to them in other sessions' transcripts (a speaker in a session
    # they were not registered for) go too.
    stray = Fragment.objects.filter(respondent=respondent)
    codings += Coding.objects.filter(fragment__in=stray).count()
    quotes += Quote.objects.filter(fragment__in=stray).count()
    fragments += stray.count()
    stray.delete()
    result = Withdrawal(deleted_transcripts, overwritten, fragments, codings, quotes)
    log(
        user,
        AuditAction.DELETE,
        f"experiences participant {respondent.pk} withdrew consent: "
        f"{deleted_transcripts} transcripts, {overwritten} turns, {fragments} fragments, "
        f"{quotes} quotes",
    )
    return result


# --- Import ---------------------------------------------------------------------------------


def place_names() -> tuple[str, ...]:
    """Every municipality name of 2015-2025 (placeholders of old codes left out)."""
    return pseudonymise.place_names()


def lexicon(names: Iterable[str] = ()) -> pseudonymise.Lexicon:
    """What the detector looks for: places, the organisations and coalitions of the
    platform's database, and the names known for this text."""
    organisations = [
        *Organisation.objects.values_list("name", flat=True),
        *Coalition.objects.values_list("name", flat=True),
    ]
    return pseudonymise.Lexicon(
        places=place_names(),
        organisations=tuple(organisations),
        names=tuple(n.strip() for n in names if n.strip()),
    )


def prepare(raw: str, names: Iterable[str] = ()) -> list[pseudonymise.Proposal]:
    """The proposed replacements for a raw text (nothing is stored)."""
    if len(raw) > MAX_TEXT:
        raise ExperiencesError("the text is too long")
    found = pseudonymise.detect(raw, lexicon(names))
    return pseudonymise.proposals(raw, found)


@transaction.atomic
def store(
    session: Session,
    user: User,
    *,
    title: str,
    source_format: str,
    raw: str,
    replacements: Mapping[str, str],
) -> Transcript:
    """Apply the reviewed replacements to the raw text and store the result only."""
    if len(raw) > MAX_TEXT:
        raise ExperiencesError("the text is too long")
    text, count = pseudonymise.apply(raw, replacements)
    transcript = Transcript.objects.create(
        session=session,
        title=title,
        source_format=source_format,
        text=text,
        replacements=count,
        imported_by=user,
    )
    log(user, AuditAction.CREATE, f"experiences transcript {transcript.pk} imported")
    return transcript


# --- Codebook -------------------------------------------------------------------------------


def codes_of(round_: StudyRound) -> list[Code]:
    """Themes, each followed by its sub-codes."""
    codes = list(round_.codebook.codes.all())
    themes = [c for c in codes if c.parent_id is None]
    ordered = []
    for theme in themes:
        ordered.append(theme)
        ordered.extend(c for c in codes if c.parent_id == theme.pk)
    return ordered


def code_label(code: Code) -> str:
    return f"{code.parent.name} › {code.name}" if code.parent is not None else code.name


@transaction.atomic
def add_code(
    round_: StudyRound,
    user: User,
    *,
    name: str,
    definition: str,
    example: str = "",
    parent: Code | None = None,
) -> Code:
    """A new theme or sub-code: the codebook's version moves on."""
    codebook = Codebook.objects.select_for_update().get(round=round_)
    if parent is not None and (parent.codebook_id != codebook.pk or parent.parent_id is not None):
        raise ExperiencesError("a sub-code belongs under a theme of this codebook")
    if codebook.codes.filter(name=name).exists():
        raise ExperiencesError("a code of this name exists")
    codebook.version += 1
    codebook.save(update_fields=["version"])
    position = (codebook.codes.aggregate(p=Max("position"))["p"] or 0) + 1
    return Code.objects.create(
        codebook=codebook,
        parent=parent,
        name=name,
        definition=definition,
        example=example,
        position=position,
        since_version=codebook.version,
    )


# --- Fragments and coding -------------------------------------------------------------------


def find_fragment(transcript: Transcript, quote: str, occurrence: int = 1) -> tuple[int, int]:
    """The range of the ``occurrence``-th place the quote appears in the stored text."""
    quote = quote.strip()
    if not quote:
        raise ExperiencesError("empty fragment")
    start = -1
    for _ in range(occurrence):
        start = transcript.text.find(quote, start + 1)
        if start < 0:
            raise ExperiencesError("the text does not appear in the transcript")
    return start, start + len(quote)


def add_fragment(
    transcript: Transcript,
    user: User,
    quote: str,
    *,
    occurrence: int = 1,
    respondent: Respondent | None = None,
) -> Fragment:
    start, end = find_fragment(transcript, quote, occurrence)
    if respondent is not None and (
        respondent.round_id != transcript.session.round_id or respondent.withdrawn
    ):
        raise ExperiencesError("the speaker is not a participant of this round with consent")
    fragment, _created = Fragment.objects.get_or_create(
        transcript=transcript,
        start=start,
        end=end,
        defaults={"created_by": user, "respondent": respondent},
    )
    return fragment


def is_done(transcript: Transcript, user: User) -> bool:
    return transcript.coding_done.filter(coder=user).exists()


def coders_done(transcript: Transcript) -> list[int]:
    """The users who finished coding the transcript, in the order they did."""
    return list(transcript.coding_done.order_by("done_at", "pk").values_list("coder", flat=True))


@transaction.atomic
def set_codes(fragment: Fragment, coder: User, codes: Iterable[Code]) -> None:
    """The coder's codes on the fragment (replacing theirs; others' stay untouched)."""
    if is_done(fragment.transcript, coder):
        raise ExperiencesError("you finished coding this transcript")
    wanted = {c.pk: c for c in codes}
    codebook = fragment.transcript.session.round.codebook
    if any(c.codebook_id != codebook.pk for c in wanted.values()):
        raise ExperiencesError("a code of another codebook")
    fragment.codings.filter(coder=coder).exclude(code__in=list(wanted)).delete()
    have = set(fragment.codings.filter(coder=coder).values_list("code", flat=True))
    Coding.objects.bulk_create(
        Coding(fragment=fragment, code=code, coder=coder, codebook_version=codebook.version)
        for pk, code in wanted.items()
        if pk not in have
    )


def mark_done(transcript: Transcript, coder: User) -> None:
    CodingDone.objects.get_or_create(transcript=transcript, coder=coder)


def visible_codings(transcript: Transcript, viewer: User) -> dict[int, dict[int, set[int]]]:
    """Per fragment, per coder, the code ids the viewer may see: their own always; the
    others' once the viewer and at least one other coder have finished."""
    done = coders_done(transcript)
    open_all = viewer.pk in done and len(done) >= 2
    codings = Coding.objects.filter(fragment__transcript=transcript)
    if not open_all:
        codings = codings.filter(coder=viewer)
    out: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for fragment_id, coder_id, code_id in codings.values_list("fragment", "coder", "code"):
        out[fragment_id][coder_id].add(code_id)
    return out


def agreement(
    round_: StudyRound, transcripts: Iterable[Transcript] | None = None
) -> list[stats.CodeAgreement]:
    """Agreement per code between the first two coders of every transcript both finished
    (the units: those transcripts' fragments)."""
    first: dict[int, set[str]] = {}
    second: dict[int, set[str]] = {}
    chosen = (
        transcripts if transcripts is not None else Transcript.objects.filter(session__round=round_)
    )
    codes = codes_of(round_)
    names = {c.pk: code_label(c) for c in codes}
    for transcript in chosen:
        done = coders_done(transcript)
        if len(done) < 2:
            continue
        pair = done[:2]
        for fragment in transcript.fragments.all():
            first[fragment.pk] = set()
            second[fragment.pk] = set()
        rows = Coding.objects.filter(fragment__transcript=transcript, coder__in=pair)
        for fragment_id, coder_id, code_id in rows.values_list("fragment", "coder", "code"):
            target = first if coder_id == pair[0] else second
            target[fragment_id].add(names[code_id])
    if not first:
        return []
    return stats.per_code([code_label(c) for c in codes], first, second)


@transaction.atomic
def record_consensus(
    transcript: Transcript, user: User, chosen: Mapping[int, Iterable[Code]]
) -> None:
    """The final coding of the transcript's fragments (after two coders finished)."""
    if len(coders_done(transcript)) < 2:
        raise ExperiencesError("two researchers must finish coding first")
    fragments = {f.pk: f for f in transcript.fragments.all()}
    ConsensusCoding.objects.filter(fragment__transcript=transcript).delete()
    ConsensusCoding.objects.bulk_create(
        ConsensusCoding(fragment=fragments[pk], code=code, decided_by=user)
        for pk, codes in chosen.items()
        if pk in fragments
        for code in codes
    )
    transcript.consensus_at = timezone.now()
    transcript.consensus_by = user
    transcript.save(update_fields=["consensus_at", "consensus_by"])


def add_memo(
    round_: StudyRound,
    user: User,
    text: str,
    *,
    transcript: Transcript | None = None,
    code: Code | None = None,
) -> Memo:
    return Memo.objects.create(
        round=round_, author=user, text=text, transcript=transcript, code=code
    )


# --- Quotes for publication ---------------------------------------------------------------

#: Marks of left-out words in a quote ("...", "…", "[…]", "[...]").
_ELLIPSIS = re.compile(r"\[(?:…|\.\.\.)\]|…|\.\.\.")
#: Stakeholder types RIVM reports apart from the others (experts by experience and clients).
EXPERIENCE_SIDE = frozenset({StakeholderType.EXPERT_BY_EXPERIENCE, StakeholderType.CLIENT})


def _squash(text: str) -> str:
    return " ".join(text.split())


def is_excerpt(quote: str, fragment_text: str) -> bool:
    """Every part of the quote between ellipsis marks is the fragment's own words (white space
    aside), in order: words may be left out, none changed or added."""
    source = _squash(fragment_text)
    at = 0
    parts = [_squash(p) for p in _ELLIPSIS.split(quote)]
    if not any(parts):
        return False
    for part in parts:
        if not part:
            continue
        found = source.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def quoted_respondents(fragment: Fragment) -> list[Respondent]:
    """Whose words the fragment holds: its speaker, and every participant of the session
    whose turn (``turn_spans``) overlaps it."""
    transcript = fragment.transcript
    found: dict[int, Respondent] = {}
    if fragment.respondent is not None:
        found[fragment.respondent.pk] = fragment.respondent
    for respondent in transcript.session.respondents.all():
        for start, end in turn_spans(transcript.text, respondent):
            if start < fragment.end and fragment.start < end:
                found[respondent.pk] = respondent
    return list(found.values())


def identifying(text: str) -> list[pseudonymise.Span]:
    """What the import's detector (with the identifying check of case-conference texts) finds
    in a text: a quote must hold none of it."""
    return pseudonymise.detect(text, lexicon())


def consensus_codes(fragment: Fragment) -> list[Code]:
    return [c.code for c in fragment.consensus.select_related("code")]


def _check_quote(fragment: Fragment, code: Code, text: str) -> Respondent:
    """The participant the quote is attributed to, if the rules allow it (else the error)."""
    if fragment.transcript.consensus_at is None or code not in consensus_codes(fragment):
        raise ExperiencesError("quote a fragment with this code in its consensus coding")
    if not is_excerpt(text, fragment.text):
        raise ExperiencesError("the quote is not an excerpt of the fragment")
    speakers = quoted_respondents(fragment)
    if not speakers:
        raise ExperiencesError("whose words these are is not known: set the speaker")
    if len(speakers) > 1:
        raise ExperiencesError("the fragment holds the words of more than one participant")
    speaker = speakers[0]
    if speaker.withdrawn or not speaker.consent_quoting:
        raise ExperiencesError("the participant did not consent to being quoted")
    if identifying(text):
        raise ExperiencesError("the quote holds an identifying detail")
    return speaker


@transaction.atomic
def propose_quote(fragment: Fragment, user: User, code: Code, text: str) -> Quote:
    """A quote proposed for publication (see the module docstring for the rules)."""
    text = text.strip()
    speaker = _check_quote(fragment, code, text)
    quote = Quote.objects.create(
        round=fragment.transcript.session.round,
        fragment=fragment,
        code=code,
        respondent=speaker,
        stakeholder_type=speaker.stakeholder_type,
        text=text,
        proposed_by=user,
    )
    log(user, AuditAction.CREATE, f"experiences quote {quote.pk} proposed")
    return quote


@transaction.atomic
def approve_quote(quote: Quote, user: User) -> None:
    """A second researcher approves the quote: consent, consensus and the identifying check
    are checked again."""
    if quote.approved:
        raise ExperiencesError("the quote was approved already")
    if quote.proposed_by_id == user.pk:
        raise ExperiencesError("a second researcher approves a quote")
    _check_quote(quote.fragment, quote.code, quote.text)
    quote.approved_by = user
    quote.approved_at = timezone.now()
    quote.save(update_fields=["approved_by", "approved_at"])
    log(user, AuditAction.UPDATE, f"experiences quote {quote.pk} approved")


def check_quote(quote: Quote) -> Respondent:
    """Every check of approval once more (for publishing): raises ExperiencesError."""
    return _check_quote(quote.fragment, quote.code, quote.text)


def remove_quote(quote: Quote, user: User) -> None:
    log(user, AuditAction.DELETE, f"experiences quote {quote.pk} removed")
    quote.delete()


@dataclass(frozen=True)
class PublishedQuote:
    text: str
    role_label: str  # "Projectleider Lokale Coalitie": the attribution, role only
    code: str  # the code's label ("Samenwerking › Vaste aanspreekpunt")


@dataclass(frozen=True)
class QuoteGroup:
    theme: str
    stakeholder_type: str
    role_label: str
    quotes: tuple[PublishedQuote, ...]


@dataclass(frozen=True)
class PublishedQuotes:
    """The approved quotes of a round for the "Ervaringen" section: per theme (codebook
    order) and stakeholder type; experts by experience and clients apart, as RIVM reports
    them."""

    professionals: tuple[QuoteGroup, ...]
    experts_by_experience: tuple[QuoteGroup, ...]


def published_quotes(round_: StudyRound) -> PublishedQuotes:
    """The round's approved quotes grouped by theme and stakeholder type."""
    themes = [c for c in codes_of(round_) if c.parent_id is None]
    kinds = list(StakeholderType.values)
    groups: dict[tuple[int, str], list[PublishedQuote]] = defaultdict(list)
    approved = (
        round_.quotes.filter(approved_at__isnull=False)
        .select_related("code__parent")
        .order_by("approved_at", "pk")
    )
    for quote in approved:
        theme = quote.code.parent or quote.code
        groups[(theme.pk, quote.stakeholder_type)].append(
            PublishedQuote(quote.text, quote.role_label, code_label(quote.code))
        )
    professionals: list[QuoteGroup] = []
    experts: list[QuoteGroup] = []
    for theme in themes:
        for kind in kinds:
            found = groups.get((theme.pk, kind))
            if found:
                group = QuoteGroup(theme.name, kind, ROLE_LABELS[kind], tuple(found))
                (experts if kind in EXPERIENCE_SIDE else professionals).append(group)
    return PublishedQuotes(tuple(professionals), tuple(experts))


# --- Retention ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionResult:
    rounds: int
    transcripts: int

    def summary(self) -> str:
        return (
            f"{self.transcripts} transcript(s) of {self.rounds} round(s) past their retention "
            "date deleted"
        )


def apply_retention(today: date, *, dry_run: bool = False) -> RetentionResult:
    """Delete every transcript (with its fragments, codings, consensus and memos) of the
    rounds whose retention date lies before ``today``; one entry in the deletion register and
    one audit entry (purpose retention, no user) each."""
    expired = StudyRound.objects.filter(retention_until__lt=today)
    transcripts = list(
        Transcript.objects.filter(session__round__in=expired).select_related("session__round")
    )
    rounds = len({t.session.round_id for t in transcripts})
    if dry_run:
        return RetentionResult(rounds, len(transcripts))
    with transaction.atomic():
        for transcript in transcripts:
            DeletionRecord.objects.create(
                record_kind="experiences_transcript",
                record_id=transcript.pk,
                client_id=None,
                action=DeletionAction.DELETED,
                reason="study round retention date passed",
                last_activity=transcript.session.round.retention_until,
                performed_by="experiences_retention",
            )
            log(
                None,
                AuditAction.DELETE,
                f"experiences transcript {transcript.pk}: retention date passed",
                purpose=AuditPurpose.RETENTION,
            )
            transcript.delete()
    return RetentionResult(rounds, len(transcripts))


def sessions_of(round_: StudyRound) -> QuerySet[Session]:
    return round_.sessions.select_related("guide").prefetch_related("respondents", "transcripts")
