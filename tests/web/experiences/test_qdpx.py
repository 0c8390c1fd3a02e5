"""The REFI-QDA export validates against the official schema and re-imports losslessly: the
codebook, sessions, transcripts, fragments, every coder's codings, the consensus and the memos
of the new round equal the old ones'. Export and import are researcher pages; the export is
logged as a read of every transcript."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.audit.models import AuditEvent
from kansrijk.web.experiences import exchange, qdpx, services
from kansrijk.web.experiences.models import (
    Coding,
    ConsensusCoding,
    Fragment,
    Memo,
    StudyRound,
    Transcript,
)
from tests.web import factories as f
from tests.web.experiences.test_quotes import World, _world

pytestmark = pytest.mark.django_db


def _everything(round_: StudyRound) -> dict[str, Any]:
    """What a round holds that the format carries, without ids."""
    transcripts = Transcript.objects.filter(session__round=round_)
    return {
        "codes": [
            (c.name, c.parent.name if c.parent else None, c.definition, c.example)
            for c in services.codes_of(round_)
        ],
        "sessions": sorted(
            (s.label, s.kind, s.held_on, s.mode, tuple(t.title for t in s.transcripts.all()))
            for s in round_.sessions.all()
        ),
        "transcripts": sorted((t.title, t.text) for t in transcripts),
        "fragments": sorted(
            (fr.transcript.title, fr.start, fr.end, fr.created_by.username)
            for fr in Fragment.objects.filter(transcript__in=transcripts)
        ),
        "codings": sorted(
            (c.fragment.start, c.fragment.end, c.code.name, c.coder.username)
            for c in Coding.objects.filter(fragment__transcript__in=transcripts)
        ),
        "consensus": sorted(
            (c.fragment.start, c.fragment.end, c.code.name)
            for c in ConsensusCoding.objects.filter(fragment__transcript__in=transcripts)
        ),
        "consensus_recorded": sorted(t.consensus_at is not None for t in transcripts),
        "memos": sorted(
            (
                m.text,
                m.author.username,
                m.transcript.title if m.transcript else None,
                m.code.name if m.code else None,
            )
            for m in Memo.objects.filter(round=round_)
        ),
        "description": round_.description,
    }


def _rich(w: World) -> None:
    round_ = w.round
    round_.description = "Groepsgesprekken en interviews, oktober-november 2021."
    round_.save()
    theme = w.codes["Samenwerking"]
    sub = services.add_code(
        round_, w.a, name="Vast aanspreekpunt", definition="Eén contactpersoon.", parent=theme
    )
    services.add_memo(round_, w.a, "Opvallend: financiering komt steeds terug.")
    services.add_memo(round_, w.b, "Lees dit gesprek nog eens.", transcript=w.transcript)
    services.add_memo(round_, w.b, "Afbakening met Leren van elkaar.", code=sub)


def test_export_validates_and_reimports_losslessly() -> None:
    w = _world()
    _rich(w)
    browser = f.signed_in(w.a)
    response = browser.get(reverse("experiences:qdpx_export", args=[w.round.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = response.content
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read("project.qde")
    assert qdpx.validation_errors(xml) == []  # the official REFI-QDA schema
    assert b'xmlns="urn:QDA-XML:project:1.0"' in xml
    sources = [n for n in archive.namelist() if n.startswith("sources/")]
    assert len(sources) == 1
    assert archive.read(sources[0]).decode() == w.transcript.text
    # The export is a read of every transcript.
    assert AuditEvent.objects.filter(
        action="read", detail=f"experiences transcript {w.transcript.pk} (REFI-QDA export)"
    ).exists()
    # Deterministic guids: the same round exports the same project.qde.
    assert (
        zipfile.ZipFile(io.BytesIO(exchange.export_round(w.round, w.a))).read("project.qde") == xml
    )

    upload = SimpleUploadedFile("ronde.qdpx", data, content_type="application/zip")
    imported = browser.post(
        reverse("experiences:qdpx_import"),
        {
            "name": "Monitor 2021 (kopie)",
            "retention_until": "2030-01-01",
            "file": upload,
            "pseudonymised": "on",
        },
    )
    assert imported.status_code == 302
    copy = StudyRound.objects.get(name="Monitor 2021 (kopie)")
    assert list(copy.researchers.all()) == [w.a]  # only the importer
    assert _everything(copy) == _everything(w.round)
    # Agreement works on the imported coding (both coders marked finished).
    assert [r.code for r in services.agreement(copy)] == [
        r.code for r in services.agreement(w.round)
    ]


def test_a_second_export_of_the_import_is_the_same_project() -> None:
    w = _world()
    _rich(w)
    first = qdpx.read(exchange.export_round(w.round, w.a))
    result = exchange.import_round(
        exchange.export_round(w.round, w.a),
        w.a,
        name="Kopie",
        retention_until=w.round.retention_until,
    )
    assert result.unmatched_users == ()
    second = qdpx.read(exchange.export_round(result.round, w.a))
    assert [s.text for s in second.sources] == [s.text for s in first.sources]
    assert [
        [(sel.start, sel.end, len(sel.codings)) for sel in s.selections] for s in second.sources
    ] == [[(sel.start, sel.end, len(sel.codings)) for sel in s.selections] for s in first.sources]


def test_unknown_users_codings_are_the_importers() -> None:
    w = _world()
    data = exchange.export_round(w.round, w.a)
    w.b.username = "vertrokken"
    w.b.save()
    other = f.user(Role.MONITOR_ANALYST, w.a.organisation, username="onderzoeker_c")
    result = exchange.import_round(
        data, other, name="Kopie", retention_until=w.round.retention_until
    )
    assert result.unmatched_users == ("onderzoeker_b",)
    coders = set(
        Coding.objects.filter(fragment__transcript__session__round=result.round).values_list(
            "coder__username", flat=True
        )
    )
    assert coders == {"onderzoeker_a", "onderzoeker_c"}


def test_import_refuses_what_it_cannot_read() -> None:
    w = _world()
    browser = f.signed_in(w.a)

    def post(content: bytes, **extra: str) -> Any:
        data = {
            "name": "X",
            "retention_until": "2030-01-01",
            "file": SimpleUploadedFile("x.qdpx", content),
            "pseudonymised": "on",
            **extra,
        }
        return browser.post(reverse("experiences:qdpx_import"), data)

    assert post(b"not a zip").status_code == 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0"/>')
    assert post(buffer.getvalue()).status_code == 200  # no name: invalid against the schema
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "project.qde",
            '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e "x">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>',
        )
    assert post(buffer.getvalue()).status_code == 200
    assert not StudyRound.objects.exclude(pk=w.round.pk).exists()
    with pytest.raises(qdpx.QdpxError):
        qdpx.read(buffer.getvalue())


def test_only_researchers_export_and_their_own_rounds() -> None:
    w = _world()
    outsider = f.user(Role.MONITOR_ANALYST, w.a.organisation, username="buitenstaander")
    page = f.signed_in(outsider).get(reverse("experiences:qdpx_export", args=[w.round.pk]))
    assert page.status_code == 404
    staff = f.user(Role.PROGRAMME_STAFF, w.a.organisation, username="staf")
    assert f.signed_in(staff).get(reverse("experiences:qdpx_import")).status_code == 403
