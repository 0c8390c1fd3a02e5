"""Programme indicators from `ProgrammeFacts`: counts, then one protected results table.

The table has exactly `kansrijk.publication.RESULTS_SCHEMA`: region "nl" / "NL01",
classification year = period = edition = the year, unit "%", value = 100 x numerator /
denominator, and the Wilson interval the monitor engine uses (`kansrijk.stats`). Because the
counts are complete counts of all municipalities or organisations, the interval describes the
binomial variability of a proportion of that size, not sampling error.

A figure whose denominator is 0 (no Impuls municipalities yet, nobody answered, no registry
entries) gets no row, as the engine drops cells without units: there is no percentage to
publish, and the page says "no figure" for that year.

The cells go through the publication gate (`kansrijk.publication.protect`) with the table's
declared structure (`kansrijk.programme.structure`) and the `ORGANISATIONS` policy: nothing is
hidden, but the gate checks the table against its structure, and only its `Protected` can be
published (`publish_programme`).
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pyarrow as pa

from kansrijk import __version__
from kansrijk.programme.catalogue import PROGRAMME_INDICATORS
from kansrijk.programme.facts import FACTS_READ, Answers, ProgrammeFacts
from kansrijk.programme.model import (
    STATUS,
    TOTAL,
    UNKNOWN,
    CoalitionStatus,
    PlanStatus,
    ProgrammeIndicator,
)
from kansrijk.programme.structure import programme_structure
from kansrijk.publication import ORGANISATIONS, RESULTS_SCHEMA, Protected, protect
from kansrijk.stats import PERCENT, interval_for_unit

#: Changes when the computation (not the definitions) changes; part of every definition hash.
IMPLEMENTATION = "kansrijk.programme.compute/1"
NL_TYPE = "nl"
NL_CODE = "NL01"


@dataclass(frozen=True)
class Count:
    """One row before it becomes a cell: figure, breakdown value and the two counts."""

    figure: str
    numerator: int
    denominator: int
    breakdown: str = TOTAL
    breakdown_value: str = TOTAL


@dataclass
class ProgrammeResults:
    """The protected table (the gate's `Protected`) and the provenance for its manifest."""

    protected: Protected
    manifest: dict[str, object] = field(default_factory=dict)
    definitions: tuple[ProgrammeIndicator, ...] = PROGRAMME_INDICATORS

    @property
    def table(self) -> pa.Table:
        """The public table (what `publish_programme` writes)."""
        return self.protected.public


def _survey(
    d: ProgrammeIndicator,
    facts: ProgrammeFacts,
    question: str,
    positive: Iterable[object],
    categories: Sequence[str],
) -> list[Count]:
    """Indicators 1 and 2: over Impuls municipalities, over responders, unknowns, answers."""
    impuls = facts.impuls
    status: dict[str, str] = {}
    for code in impuls:
        answer = getattr(facts.answers.get(code, Answers()), question)
        if answer is not None:
            status[code] = str(answer)
    wanted = {str(p) for p in positive}
    n = sum(1 for s in status.values() if s in wanted)
    n_impuls, n_responding = len(impuls), len(status)
    by_answer = {c: sum(1 for s in status.values() if s == c) for c in categories}
    by_answer[UNKNOWN] = n_impuls - n_responding
    base = d.id
    rows = [
        Count(base, n, n_impuls),
        Count(f"{base}r", n, n_responding),
        Count(f"{base}u", n_impuls - n_responding, n_impuls),
    ]
    rows += [Count(f"{base}s", by_answer[c], n_impuls, STATUS, c) for c in (*categories, UNKNOWN)]
    rows += [Count(f"{base}rs", by_answer[c], n_responding, STATUS, c) for c in categories]
    return rows


def _coalitions(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    return _survey(
        d, facts, "coalition_status", [CoalitionStatus.FORMED], [str(c) for c in CoalitionStatus]
    )


def _plans(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    return _survey(
        d,
        facts,
        "plan_status",
        [PlanStatus.FINISHED, PlanStatus.IN_DEVELOPMENT],
        [str(p) for p in PlanStatus],
    )


def _nnz(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    centres = facts.nnz_centres
    started = facts.nnz_started & centres
    others = facts.municipalities - centres
    joined = facts.nnz_joined & others
    active = (started | facts.nnz_joined) & facts.municipalities
    return [
        Count(d.id, len(started), len(centres)),
        Count(f"{d.id}j", len(joined), len(others)),
        Count(f"{d.id}a", len(active), len(facts.municipalities)),
    ]


def _phb(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    answered = [a.phb_offered for a in facts.answers.values() if a.phb_offered is not None]
    return [Count(d.id, sum(answered), len(answered))]


_T = TypeVar("_T", str, int)


def _share(figure: str, members: frozenset[_T], having: frozenset[_T]) -> list[Count]:
    return [Count(figure, len(having & members), len(members))]


def _voorzorg(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    return _share(d.id, facts.voorzorg_municipalities, facts.voorzorg_offering)


def _centering(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    return _share(d.id, facts.midwifery_practices, facts.centering_trained)


def _ouderschap(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    return _share(d.id, facts.jgz_organisations, facts.centering_ouderschap)


COUNTERS: dict[str, Callable[[ProgrammeIndicator, ProgrammeFacts], list[Count]]] = {
    "2019-01": _coalitions,
    "2019-02": _plans,
    "2019-03": _nnz,
    "2019-04": _phb,
    "2019-05": _voorzorg,
    "2019-06": _centering,
    "2019-09": _ouderschap,
}


def counts(d: ProgrammeIndicator, facts: ProgrammeFacts) -> list[Count]:
    """Every row of ``d`` for one year, including those with denominator 0."""
    rows = COUNTERS[d.id](d, facts)
    known = {f.id for f in d.figures}
    stray = {r.figure for r in rows} - known
    if stray:  # the counter and the definition must agree on the figures
        raise AssertionError(f"{d.id}: rows for undeclared figures {sorted(stray)}")
    return rows


def _cells(rows: list[tuple[Count, int, str, str]]) -> pa.Table:
    """Result rows (not yet protected) from (count, year, definition, data hash)."""
    n = len(rows)
    num = np.array([r[0].numerator for r in rows], dtype=np.int64)
    den = np.array([r[0].denominator for r in rows], dtype=np.int64)
    years = np.array([r[1] for r in rows], dtype=np.int32)
    low, high = interval_for_unit(PERCENT, num, den)
    value = 100.0 * num / np.where(den == 0, 1, den)

    def strings(values: list[str]) -> pa.Array:
        return pa.array(values, pa.string())

    return pa.table(
        {
            "indicator_id": strings([r[0].figure for r in rows]),
            "edition": pa.array(years),
            "period_start": pa.array(years),
            "period_end": pa.array(years),
            "region_type": strings([NL_TYPE] * n),
            "region_code": strings([NL_CODE] * n),
            "classification_year": pa.array(years),
            "breakdown": strings([r[0].breakdown for r in rows]),
            "breakdown_value": strings([r[0].breakdown_value for r in rows]),
            "numerator": pa.array(num),
            "denominator": pa.array(den),
            "value": pa.array(value, pa.float64()),
            "unit": strings([PERCENT] * n),
            "ci_low": pa.array(np.asarray(low, dtype=np.float64)),
            "ci_high": pa.array(np.asarray(high, dtype=np.float64)),
            "suppressed": pa.array(np.zeros(n, dtype=bool)),
            "definition_hash": strings([r[2] for r in rows]),
            "data_hash": strings([r[3] for r in rows]),
            "run_id": strings([""] * n),
        },
        schema=RESULTS_SCHEMA,
    )


def compute_programme(
    facts: Sequence[ProgrammeFacts],
    definitions: Sequence[ProgrammeIndicator] = PROGRAMME_INDICATORS,
) -> ProgrammeResults:
    """The programme indicators for every year in ``facts``, protected by the gate.

    Each year must lie in every definition's editions (2019-2023). Nothing is written.
    """
    years = [f.year for f in facts]
    if not years:
        raise ValueError("no years to compute")
    if len(set(years)) != len(years):
        raise ValueError(f"duplicate years in {years}")
    for d in definitions:
        outside = sorted(set(years) - set(d.editions))
        if outside:
            raise ValueError(f"{d.id} is not defined for {outside} (editions {d.editions})")

    definition_hashes = {d.id: d.definition_hash(IMPLEMENTATION) for d in definitions}
    data_hashes: dict[str, dict[str, str]] = {}
    by_figure: dict[str, list[tuple[Count, int, str, str]]] = {}
    for year_facts in sorted(facts, key=lambda f: f.year):
        hashes = data_hashes.setdefault(str(year_facts.year), {})
        for d in definitions:
            hashes[d.id] = year_facts.data_hash(FACTS_READ[d.id])
            for c in counts(d, year_facts):
                if c.denominator > 0:
                    row = (c, year_facts.year, definition_hashes[d.id], hashes[d.id])
                    by_figure.setdefault(c.figure, []).append(row)
    # Rows in reading order: definition, figure, year, answer category as declared.
    rows = [row for d in definitions for f in d.figures for row in by_figure.get(f.id, [])]
    raw = _cells(rows)
    run_id = hashlib.sha256(
        json.dumps(
            {
                "years": sorted(years),
                "definitions": definition_hashes,
                "data": data_hashes,
                "policy": [ORGANISATIONS.subject, ORGANISATIONS.threshold],
            },
            sort_keys=True,
        ).encode()
    ).hexdigest()[:16]
    raw = raw.set_column(
        raw.schema.get_field_index("run_id"), "run_id", pa.array([run_id] * len(raw), pa.string())
    )
    protected = protect(raw, programme_structure(definitions), ORGANISATIONS)
    # The manifest's content; `publish` adds the policy, the audit and the outputs' hashes.
    manifest: dict[str, object] = {
        "run_id": run_id,
        "kind": "programme indicators",
        "parameters": {"years": sorted(years), "implementation": IMPLEMENTATION},
        "software": {"kansrijk": __version__, "python": platform.python_version()},
        "years": sorted(years),
        "reference_dates": {
            str(f.year): {
                "questionnaire": f.survey_date.isoformat(),
                "registries": f.registry_date.isoformat(),
            }
            for f in sorted(facts, key=lambda f: f.year)
        },
        "definitions": {
            d.id: {"hash": definition_hashes[d.id], "definition": d.fingerprint()}
            for d in definitions
        },
        "data_hashes": data_hashes,
        "implementation": IMPLEMENTATION,
        "rows": len(raw),
    }
    return ProgrammeResults(protected=protected, manifest=manifest, definitions=tuple(definitions))
