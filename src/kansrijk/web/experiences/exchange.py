"""A round to and from a REFI-QDA project (``.qdpx``; the format itself is in ``qdpx``).

**Export** (``export_round``): the round's researchers and everyone who coded, marked or wrote
in it (``User``: their user name, no real names), the codebook (a theme with its sub-codes
nested; the description is the definition, then "Voorbeeld: " and the example), a case per
session (variables: kind, date, mode), every transcript as a text source (the pseudonymised
text; the raw text was never stored), its fragments as ``PlainTextSelection``s with every
researcher's codings (``creatingUser``: the coder) and the consensus coding (``creatingUser``:
the pseudo-user "Consensus", ``CONSENSUS_GUID``), and the memos as notes. Guids are derived
from the platform's ids (uuid5), so one round exports the same guids every time. Exporting
reads every transcript: each is logged as a read.

**Import** (``import_round``): a new round whose only researcher is the importer, with the
project's codebook, sessions (from its cases; a session per source that is in no case),
transcripts, fragments, codings, consensus and memos. A project user is matched to a platform
user of the same user name whose role does research; the codings of others are attributed to
the importer. Codes deeper than a sub-code go under their theme. Coders are marked finished.
Not carried by the format and so not exported: participants, their consent and the speaker
of a fragment (consent belongs to the round it was given for), the guide, quotes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from kansrijk.web.accounts.models import User
from kansrijk.web.audit.models import AuditAction
from kansrijk.web.experiences import qdpx, services
from kansrijk.web.experiences.models import (
    Code,
    Codebook,
    Coding,
    CodingDone,
    ConsensusCoding,
    Fragment,
    Memo,
    Session,
    SessionKind,
    SessionMode,
    SourceFormat,
    StudyRound,
    Transcript,
)

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:kansrijk:experiences")
CONSENSUS_GUID = str(uuid.uuid5(_NAMESPACE, "consensus"))
CONSENSUS_NAME = "Consensus"
EXAMPLE = "\n\nVoorbeeld: "
#: Session variables (Dutch names: the projects are read by Dutch researchers).
KIND, DAY, MODE = "Soort sessie", "Datum", "Vorm"
#: Largest .qdpx upload.
MAX_QDPX = 10 * 1024 * 1024


def guid(kind: str, pk: int | None) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind} {pk}"))


def _description(code: Code) -> str:
    return code.definition + (EXAMPLE + code.example if code.example else "")


def _split(description: str) -> tuple[str, str]:
    definition, _sep, example = description.partition(EXAMPLE)
    return definition, example


def export_round(round_: StudyRound, user: User) -> bytes:
    """The round as a ``.qdpx`` archive (validated against the REFI-QDA schema)."""
    transcripts = list(
        Transcript.objects.filter(session__round=round_).select_related("session").order_by("pk")
    )
    memos = list(round_.memos.order_by("created_at", "pk"))
    fragments = list(
        Fragment.objects.filter(transcript__in=transcripts).order_by("transcript", "start", "pk")
    )
    codings = list(Coding.objects.filter(fragment__in=fragments).order_by("pk"))
    consensus = list(ConsensusCoding.objects.filter(fragment__in=fragments).order_by("pk"))
    user_ids = {
        round_.created_by_id,
        *round_.researchers.values_list("pk", flat=True),
        *(t.imported_by_id for t in transcripts),
        *(f.created_by_id for f in fragments),
        *(c.coder_id for c in codings),
        *(m.author_id for m in memos),
    }
    users = [
        qdpx.User(guid("user", u.pk), u.username)
        for u in User.objects.filter(pk__in=user_ids).order_by("username")
    ]
    if consensus:
        users.append(qdpx.User(CONSENSUS_GUID, CONSENSUS_NAME))
    notes_of: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    for memo in memos:
        target = (
            ("transcript", memo.transcript_id)
            if memo.transcript_id
            else ("code", memo.code_id)
            if memo.code_id
            else ("round", None)
        )
        notes_of[target].append(guid("memo", memo.pk))
    codes = services.codes_of(round_)

    def code(c: Code) -> qdpx.Code:
        children = tuple(code(s) for s in codes if s.parent_id == c.pk)
        return qdpx.Code(
            guid("code", c.pk), c.name, _description(c), children, tuple(notes_of[("code", c.pk)])
        )

    by_fragment: dict[int, list[qdpx.Coding]] = defaultdict(list)
    for coding in codings:
        by_fragment[coding.fragment_id].append(
            qdpx.Coding(
                guid("coding", coding.pk),
                guid("code", coding.code_id),
                guid("user", coding.coder_id),
                coding.created_at,
            )
        )
    for decision in consensus:
        by_fragment[decision.fragment_id].append(
            qdpx.Coding(
                guid("consensus", decision.pk),
                guid("code", decision.code_id),
                CONSENSUS_GUID,
                decision.decided_at,
            )
        )
    selections: dict[int, list[qdpx.Selection]] = defaultdict(list)
    for fragment in fragments:
        selections[fragment.transcript_id].append(
            qdpx.Selection(
                guid("fragment", fragment.pk),
                fragment.start,
                fragment.end,
                guid("user", fragment.created_by_id),
                fragment.created_at,
                tuple(by_fragment[fragment.pk]),
            )
        )
    sources = tuple(
        qdpx.Source(
            guid("transcript", t.pk),
            t.title,
            t.text,
            guid("user", t.imported_by_id),
            t.imported_at,
            tuple(selections[t.pk]),
            tuple(notes_of[("transcript", t.pk)]),
        )
        for t in transcripts
    )
    variables = (
        qdpx.Variable(guid("variable", 1), KIND, "Text"),
        qdpx.Variable(guid("variable", 2), DAY, "Date"),
        qdpx.Variable(guid("variable", 3), MODE, "Text"),
    )
    cases = tuple(
        qdpx.Case(
            guid("session", s.pk),
            s.label,
            (
                (variables[0].guid, s.kind),
                (variables[1].guid, s.held_on.isoformat()),
                (variables[2].guid, s.mode),
            ),
            tuple(guid("transcript", t.pk) for t in transcripts if t.session_id == s.pk),
        )
        for s in round_.sessions.order_by("held_on", "pk")
    )
    project = qdpx.Project(
        name=round_.name,
        origin="Kansrijk",
        user=guid("user", round_.created_by_id),
        created=round_.created_at,
        users=tuple(users),
        codes=tuple(code(c) for c in codes if c.parent_id is None),
        variables=variables,
        cases=cases,
        sources=sources,
        notes=tuple(
            qdpx.Note(guid("memo", m.pk), "Memo", m.text, guid("user", m.author_id), m.created_at)
            for m in memos
        ),
        description=round_.description,
        project_notes=tuple(notes_of[("round", None)]),
    )
    data = qdpx.write(project)
    for transcript in transcripts:
        services.log_transcript_read(user, transcript, "REFI-QDA export")
    services.log(user, AuditAction.READ, f"experiences round {round_.pk} exported (REFI-QDA)")
    return data


# --- Import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    round: StudyRound
    transcripts: int
    fragments: int
    codings: int
    #: Project users without a platform researcher of that user name (their codings: the
    #: importer's).
    unmatched_users: tuple[str, ...]
    #: Per transcript title, how many identifying details the import's detector finds.
    findings: tuple[tuple[str, int], ...]


def _flatten(codes: tuple[qdpx.Code, ...]) -> list[tuple[qdpx.Code, qdpx.Code | None]]:
    """(code, its theme) for every code: top-level codes are themes, deeper ones go under
    their theme."""
    out: list[tuple[qdpx.Code, qdpx.Code | None]] = []

    def below(code: qdpx.Code, theme: qdpx.Code) -> None:
        for child in code.children:
            out.append((child, theme))
            below(child, theme)

    for theme in codes:
        out.append((theme, None))
        below(theme, theme)
    return out


def _unique(name: str, taken: set[str]) -> str:
    name = (name.strip() or "Code")[:110]
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(candidate)
    return candidate


def _session_values(case: qdpx.Case, names: dict[str, str]) -> dict[str, str]:
    return {names.get(variable, ""): value for variable, value in case.values}


@transaction.atomic
def import_round(data: bytes, user: User, *, name: str, retention_until: date) -> ImportResult:
    """A new round from a ``.qdpx`` archive (raises ``qdpx.QdpxError`` for a file it cannot
    read, ``services.ExperiencesError`` for one that breaks the study's rules)."""
    if not services.is_researcher_role(user):
        raise services.ExperiencesError("only researchers create study rounds")
    project = qdpx.read(data)
    now = timezone.now()
    round_ = StudyRound.objects.create(
        name=name,
        description=project.description,
        retention_until=retention_until,
        created_by=user,
    )
    round_.researchers.add(user)
    codebook = Codebook.objects.create(round=round_)
    # Users: by user name, researchers only; the others' work is the importer's.
    researchers = {
        u.username: u
        for u in User.objects.filter(username__in=[u.name for u in project.users], is_active=True)
        if services.is_researcher_role(u)
    }
    users: dict[str, User] = {}
    unmatched = []
    for project_user in project.users:
        if project_user.guid == CONSENSUS_GUID:
            continue
        found = researchers.get(project_user.name)
        if found is None:
            unmatched.append(project_user.name)
        users[project_user.guid] = found or user

    def who(ref: str | None) -> User:
        return users.get(ref or "", user)

    # Codebook.
    codes: dict[str, Code] = {}
    taken: set[str] = set()
    for position, (item, theme) in enumerate(_flatten(project.codes), start=1):
        definition, example = _split(item.description)
        codes[item.guid] = Code.objects.create(
            codebook=codebook,
            parent=codes[theme.guid] if theme is not None else None,
            name=_unique(item.name, taken),
            definition=definition,
            example=example,
            position=position,
        )
    # Sessions from the cases.
    variable_names = {v.guid: v.name for v in project.variables}
    session_of: dict[str, Session] = {}
    for case in project.cases:
        values = _session_values(case, variable_names)
        first = next((s for s in project.sources if s.guid in case.sources), None)
        kind, mode = values.get(KIND, ""), values.get(MODE, "")
        session = Session.objects.create(
            round=round_,
            label=(case.name.strip() or "Sessie")[:100],
            kind=kind if kind in SessionKind.values else SessionKind.GROUP,
            held_on=qdpx.parse_date(values.get(DAY, ""))
            or (first.created.date() if first and first.created else now.date()),
            mode=mode if mode in SessionMode.values else SessionMode.ONLINE,
        )
        for source_guid in case.sources:
            session_of.setdefault(source_guid, session)
    # Sources, selections, codings.
    transcripts: dict[str, Transcript] = {}
    fragment_count = coding_count = 0
    findings = []
    for source in project.sources:
        if len(source.text) > services.MAX_TEXT:
            raise services.ExperiencesError("the text is too long")
        session = session_of.get(source.guid) or Session.objects.create(
            round=round_,
            label=(source.name.strip() or "Sessie")[:100],
            kind=SessionKind.GROUP,
            held_on=source.created.date() if source.created else now.date(),
            mode=SessionMode.ONLINE,
        )
        transcript = Transcript.objects.create(
            session=session,
            title=(source.name.strip() or "Transcript")[:200],
            source_format=SourceFormat.TEXT,
            text=source.text,
            imported_by=who(source.user),
            imported_at=source.created or now,
        )
        transcripts[source.guid] = transcript
        findings.append((transcript.title, len(services.identifying(transcript.text))))
        fragments: dict[tuple[int, int], Fragment] = {}
        coded: set[tuple[int, int, int]] = set()
        agreed: set[tuple[int, int]] = set()
        last_coding: dict[int, datetime] = {}
        consensus_at: datetime | None = None
        for selection in source.selections:
            if not 0 <= selection.start < selection.end <= len(source.text):
                raise qdpx.QdpxError(f"a selection lies outside the text of {source.name!r}")
            key = (selection.start, selection.end)
            if key not in fragments:
                fragments[key] = Fragment.objects.create(
                    transcript=transcript,
                    start=selection.start,
                    end=selection.end,
                    created_by=who(selection.user),
                    created_at=selection.created or now,
                )
                fragment_count += 1
            fragment = fragments[key]
            for coding in selection.codings:
                code = codes.get(coding.code)
                if code is None:
                    raise qdpx.QdpxError("a coding refers to a code that is not in the codebook")
                when = coding.created or now
                if coding.user == CONSENSUS_GUID:
                    if (fragment.pk, code.pk) not in agreed:
                        agreed.add((fragment.pk, code.pk))
                        ConsensusCoding.objects.create(
                            fragment=fragment, code=code, decided_by=user, decided_at=when
                        )
                        consensus_at = max(consensus_at or when, when)
                    continue
                coder = who(coding.user)
                if (fragment.pk, code.pk, coder.pk) in coded:
                    continue
                coded.add((fragment.pk, code.pk, coder.pk))
                Coding.objects.create(
                    fragment=fragment,
                    code=code,
                    coder=coder,
                    codebook_version=codebook.version,
                    created_at=when,
                )
                coding_count += 1
                last_coding[coder.pk] = max(last_coding.get(coder.pk, when), when)
        for coder_pk, when in last_coding.items():
            CodingDone.objects.create(transcript=transcript, coder_id=coder_pk, done_at=when)
        if consensus_at is not None:
            transcript.consensus_at = consensus_at
            transcript.consensus_by = user
            transcript.save(update_fields=["consensus_at", "consensus_by"])
    # Memos: on a source, on a code or on the project.
    target: dict[str, tuple[Transcript | None, Code | None]] = {}
    for source in project.sources:
        for note_guid in source.notes:
            target[note_guid] = (transcripts[source.guid], None)
    for item, _theme in _flatten(project.codes):
        for note_guid in item.notes:
            target[note_guid] = (None, codes[item.guid])
    for note in project.notes:
        transcript_of, code_of = target.get(note.guid, (None, None))
        Memo.objects.create(
            round=round_,
            transcript=transcript_of,
            code=code_of,
            author=who(note.user),
            text=note.text,
            created_at=note.created or now,
        )
    services.log(
        user,
        AuditAction.CREATE,
        f"experiences round {round_.pk} imported (REFI-QDA): {len(transcripts)} transcripts",
    )
    return ImportResult(
        round_, len(transcripts), fragment_count, coding_count, tuple(unmatched), tuple(findings)
    )
