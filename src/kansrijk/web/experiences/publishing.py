"""Publishing the approved quotes for the reports' "Ervaringen" section.

``kansrijk manage experiences_publish`` writes the approved quotes of the study rounds through
the publication gate's writer of texts (`kansrijk.publication.publish_texts`) to
``KANSRIJK_RESULTS_DIR / "experiences"``; ``kansrijk report national|local --experiences
DIR`` reads them with the gate's reader (`kansrijk.report.experiences.read`).

Per quote only: the round's name, the theme (a sub-code's quote under its theme), the
stakeholder type and its role label, the text, and, when the session belonged to a coalition
(`session_coalition`), the coalition's id and the CBS codes of its municipalities (so that a
local report shows the quotes of its own coalition). Nothing else: no participant code, no
organisation, no session, no date, no researcher. Every quote is checked again before it is
written (`services.check_quote`: consensus, excerpt, one participant who consented to being
quoted and has not withdrawn, the identifying check with the registry's organisations); one
that fails is left out and counted. A withdrawal deletes the participant's quotes at once;
publishing again removes them from the publication, and the report built from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from django.conf import settings

from kansrijk import __version__
from kansrijk.publication import publish_texts
from kansrijk.report.experiences import BASENAME, COLUMNS
from kansrijk.web.coalitions.models import Coalition
from kansrijk.web.experiences import services
from kansrijk.web.experiences.models import Quote, Session, StakeholderType, StudyRound


def results_dir() -> Path:
    """Where the quotes are published: ``KANSRIJK_RESULTS_DIR / "experiences"``."""
    return Path(settings.KANSRIJK_RESULTS_DIR) / "experiences"


def session_coalition(session: Session) -> Coalition | None:
    """The coalition a session belongs to: the one coalition its participants are recorded
    with (None when none is, or more than one)."""
    ids = set(
        session.respondents.filter(coalition__isnull=False).values_list("coalition_id", flat=True)
    )
    if len(ids) != 1:
        return None
    return Coalition.objects.get(pk=ids.pop())


@dataclass(frozen=True)
class Published:
    out: Path
    rounds: int
    quotes: int
    #: Approved quotes left out because they no longer pass the checks.
    left_out: int


def quote_rows(rounds: Iterable[StudyRound]) -> tuple[list[dict[str, str]], int]:
    """The rows to publish (`COLUMNS`) of the approved quotes of ``rounds``: per round, in
    codebook order of the themes, then by stakeholder type, then by approval; and how many
    approved quotes were left out because they no longer pass the checks."""
    kinds = list(StakeholderType.values)
    rows: list[dict[str, str]] = []
    left_out = 0
    coalitions: dict[int, Coalition | None] = {}
    for round_ in rounds:
        order = {code.pk: n for n, code in enumerate(services.codes_of(round_))}
        approved = list(
            round_.quotes.filter(approved_at__isnull=False).select_related(
                "code__parent", "fragment__transcript__session"
            )
        )
        approved.sort(
            key=lambda q: (
                order.get((q.code.parent or q.code).pk, len(order)),
                kinds.index(q.stakeholder_type),
                q.approved_at,
                q.pk,
            )
        )
        for quote in approved:
            if not check_quote(quote):
                left_out += 1
                continue
            session = quote.fragment.transcript.session
            if session.pk not in coalitions:
                coalitions[session.pk] = session_coalition(session)
            coalition = coalitions[session.pk]
            codes = (
                sorted(set(coalition.municipalities.values_list("code", flat=True)))
                if coalition is not None
                else []
            )
            rows.append(
                {
                    "round": round_.name,
                    "theme": (quote.code.parent or quote.code).name,
                    "stakeholder_type": quote.stakeholder_type,
                    "role_label": quote.role_label,
                    "text": quote.text,
                    "coalition": str(coalition.pk) if coalition is not None else "",
                    "municipalities": ",".join(codes),
                }
            )
    return rows, left_out


def check_quote(quote: Quote) -> bool:
    """Whether an approved quote still passes every check of approval."""
    try:
        services.check_quote(quote)
    except services.ExperiencesError:
        return False
    return True


def publish_quotes(
    round_ids: Iterable[int] | None = None, out_dir: Path | None = None
) -> Published:
    """Publish the approved quotes of the rounds ``round_ids`` (default: every round with an
    approved quote) to ``out_dir`` (default `results_dir`)."""
    rounds = StudyRound.objects.order_by("pk")
    if round_ids is not None:
        wanted = set(round_ids)
        rounds = rounds.filter(pk__in=wanted)
        missing = wanted - set(rounds.values_list("pk", flat=True))
        if missing:
            raise LookupError(f"no study round {sorted(missing)}")
    else:
        rounds = rounds.filter(quotes__approved_at__isnull=False).distinct()
    chosen = list(rounds)
    rows, left_out = quote_rows(chosen)
    table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in COLUMNS})
    out = results_dir() if out_dir is None else Path(out_dir)
    manifest = {
        "source": "experiences",
        "rounds": [r.name for r in chosen],
        "software": {"kansrijk": __version__},
    }
    publish_texts(table, out, manifest=manifest, basename=BASENAME)
    return Published(out, len(chosen), len(rows), left_out)
