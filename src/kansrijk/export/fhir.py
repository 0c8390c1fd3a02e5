"""FHIR MeasureReports of published results, for systems that read quality measures.

FHIR version: the resources are validated with ``fhir.resources``' R4B models (FHIR 4.3.0).
MeasureReport is structurally the same in R4 (4.0.1) and R4B (same elements, cardinalities and
types), so every report written here is also a valid R4 MeasureReport; nothing R4B-only is
used. Resources are built as plain dicts (JSON-ready) and checked against the models.

Layout, one ``MeasureReport`` per indicator, region and period:

* a period is one year or one pooled window (1 January of the first year to 31 December of
  the last): ``MeasureReport.period`` is *the* measurement period, so periods are separate
  reports rather than groups of one report;
* ``status`` "complete", ``type`` "summary"; ``measure`` is the canonical URL of the indicator
  definition, versioned: ``https://kansrijk.nl/fhir/Measure/<indicator id>|<version>``
  (`FHIR_BASE` is this project's namespace; it names the definition and need not resolve);
* ``subject`` is the region as a Location reference by identifier: system `REGION_SYSTEM`,
  value the CBS code (GM0363, PV27, NL01) and its name as display. No official FHIR naming
  system for CBS region codes is known to us, so the system lives in the project namespace;
  ``reporter`` is the monitor (display only), ``date`` the end of the run;
* ``improvementNotation`` follows the indicator's direction (lower is better: "decrease");
* one group, coded with the indicator id, holding the populations initial-population and
  denominator (both the denominator: the monitor has no exclusions) and numerator, and the
  ``measureScore`` as a UCUM quantity ("%" or "/1000", i.e. per 1,000) with the 95% interval in
  the extension `CI_EXTENSION` (a Range of two quantities);
* a ``stratifier`` per breakdown that has cells for that region and period (the country and
  provinces have breakdowns in every year and pooled window; municipalities only in the
  latest pooled window, for income P10, single parent and debts), with one stratum per value;
* a hidden cell (disclosure control) has no counts and no score: each count and the score
  carry only the data-absent-reason extension with code "masked".

A run computed from synthetic data (its manifest says ``"synthetic": true``) marks every
report and bundle: ``meta.tag`` `SYNTHETIC_TAG` (code "synthetic" in `DATA_ORIGIN_SYSTEM`, so a
server can filter with ``_tag``) and, on each MeasureReport, the extension
`SYNTHETIC_EXTENSION` whose ``valueString`` is the banner "Synthetische gegevens: ..." in the
report's language (R4's MeasureReport has no ``note``; both are plain R4 elements).

Region types exported: the country, provinces and municipalities (the remainder of units with
an unknown municipality is no place a report can be about).
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import IO, Any, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.measurereport import MeasureReport

from kansrijk.export._common import (
    REGION_TYPES,
    breakdown_label,
    check_lang,
    edition_rows,
    municipality_rows,
    pick,
    region_name,
    unit_label,
    value_label,
)
from kansrijk.indicators import Direction, Indicator
from kansrijk.publication import TOTAL, Cell, Publication
from kansrijk.report.dashboard import synthetic_run
from kansrijk.report.labels import Lang, synthetic_banner

#: The project's FHIR namespace (canonical URLs of measures, code and naming systems).
FHIR_BASE: Final = "https://kansrijk.nl/fhir"
MEASURE_BASE: Final = f"{FHIR_BASE}/Measure"
#: Identifier system of regions: the CBS codes GM#### (gemeente), PV## (province), NL01.
REGION_SYSTEM: Final = f"{FHIR_BASE}/NamingSystem/cbs-regiocode"
REPORT_SYSTEM: Final = f"{FHIR_BASE}/NamingSystem/measurereport"
BUNDLE_SYSTEM: Final = f"{FHIR_BASE}/NamingSystem/bundle"
INDICATOR_SYSTEM: Final = f"{FHIR_BASE}/CodeSystem/indicator"
#: Breakdowns (income_quintile, ...); the values of one are in ``<BREAKDOWN_SYSTEM>/<name>``.
BREAKDOWN_SYSTEM: Final = f"{FHIR_BASE}/CodeSystem/breakdown"
CI_EXTENSION: Final = f"{FHIR_BASE}/StructureDefinition/confidence-interval-95"
#: Extension (valueString: the banner) on every MeasureReport of a run of synthetic data.
SYNTHETIC_EXTENSION: Final = f"{FHIR_BASE}/StructureDefinition/synthetic-data"
DATA_ORIGIN_SYSTEM: Final = f"{FHIR_BASE}/CodeSystem/data-origin"
#: ``meta.tag`` of every resource built from a run of synthetic data.
SYNTHETIC_TAG: Final = {
    "system": DATA_ORIGIN_SYSTEM,
    "code": "synthetic",
    "display": "Synthetic data (generated, fictitious population)",
}
DATA_ABSENT_REASON: Final = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
POPULATION_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/measure-population"
IMPROVEMENT_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
UCUM: Final = "http://unitsofmeasure.org"
REPORTER: Final = "Kansrijk, monitor Kansrijke Start"

_MASKED: Final = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]}
_UCUM_CODES: Final = {"%": "%", "per 1,000": "/1000"}
_POPULATIONS: Final = (
    ("initial-population", "Initial Population"),
    ("denominator", "Denominator"),
    ("numerator", "Numerator"),
)
_IMPROVEMENT: Final = {
    Direction.LOWER_IS_BETTER: ("decrease", "Decreased score indicates improvement"),
    Direction.HIGHER_IS_BETTER: ("increase", "Increased score indicates improvement"),
}
_FHIR_ID: Final = re.compile(r"[A-Za-z0-9\-.]{1,64}")
#: Region types that get reports, in output order.
REPORT_REGION_TYPES: Final = ("nl", "province", "gemeente")

Regions = Literal["municipalities", "all"]
_Key = tuple[str, str, str, int, int]  # indicator, region type, region code, start, end


def measure_report(
    published: Publication,
    indicator_id: str,
    region_code: str,
    period: tuple[int, int] | int,
    *,
    lang: Lang = "nl",
) -> dict[str, Any]:
    """The validated MeasureReport of one indicator, region (GM/PV code or NL01) and period
    (a year or a (first, last) window); KeyError when the run has no such cell."""
    lang = check_lang(lang)
    start, end = (period, period) if isinstance(period, int) else period
    published.indicator(indicator_id)  # KeyError for an indicator the run lacks
    t = _region_rows(published, region_code)
    t = t.filter(
        pc.and_(
            pc.equal(t["indicator_id"], indicator_id),
            pc.and_(pc.equal(t["period_start"], start), pc.equal(t["period_end"], end)),
        )
    )
    cells = _cells(published, t, REPORT_REGION_TYPES)
    if not any(c.breakdown == TOTAL for c in cells):
        raise KeyError(f"no cell of {indicator_id} for {region_code} in {start}-{end}")
    report = _report(published, cells, lang)
    validate_report(report)
    return report


def measure_reports(
    published: Publication,
    table: pa.Table | None = None,
    *,
    regions: Regions = "municipalities",
    lang: Lang = "nl",
) -> Iterator[dict[str, Any]]:
    """Validated MeasureReports of every indicator and period of the municipalities (or of all
    regions: the country, provinces and municipalities) in ``table`` (default: all results)."""
    lang = check_lang(lang)
    kinds = ["gemeente"] if regions == "municipalities" else list(REPORT_REGION_TYPES)
    for cells in _grouped(published, _cells(published, table, kinds)):
        report = _report(published, cells, lang)
        validate_report(report)
        yield report


def write_ndjson(
    published: Publication,
    target: Path | IO[bytes],
    *,
    table: pa.Table | None = None,
    regions: Regions = "municipalities",
    lang: Lang = "nl",
) -> int:
    """Write the reports of `measure_reports` as NDJSON (one resource per line, as FHIR bulk
    data exports do) to a path or binary file; return how many were written."""
    if isinstance(target, Path):
        with target.open("wb") as out:
            return write_ndjson(published, out, table=table, regions=regions, lang=lang)
    count = 0
    for report in measure_reports(published, table, regions=regions, lang=lang):
        target.write(json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode())
        target.write(b"\n")
        count += 1
    return count


def bundle_for_region(
    published: Publication,
    region_code: str,
    *,
    comparison: bool = False,
    lang: Lang = "nl",
) -> dict[str, Any]:
    """A validated Bundle (type "collection") of every MeasureReport of one region.

    With ``comparison`` (municipalities only) the bundle also holds the reports of the
    municipality's province and the country, on the same breakdowns (see
    `kansrijk.export._common.municipality_rows`).
    """
    lang = check_lang(lang)
    region = published.region(region_code)
    if comparison and region.type == "gemeente":
        rows = municipality_rows(published, region_code)
    else:
        rows = _region_rows(published, region_code)
    cells = _cells(published, rows, REPORT_REGION_TYPES)
    entries = [
        {
            "fullUrl": f"urn:uuid:{_uuid(published, _local_id(group))}",
            "resource": _report(published, group, lang),
        }
        for group in _grouped(published, cells)
    ]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        **_synthetic_meta(published),
        "identifier": {"system": BUNDLE_SYSTEM, "value": f"{published.run_id}/{region_code}"},
        "type": "collection",
    }
    finished = published.manifest.get("finished")
    if finished:
        bundle["timestamp"] = str(finished)
    bundle["entry"] = entries
    Bundle.model_validate(bundle)
    return bundle


def validate_report(report: dict[str, Any]) -> None:
    """Raise (pydantic ValidationError, a ValueError) unless ``report`` is a valid
    MeasureReport."""
    MeasureReport.model_validate(report)


# -- building -------------------------------------------------------------------------------
_CELL_FIELDS: Final = tuple(f.name for f in fields(Cell))


def _region_rows(published: Publication, region_code: str) -> pa.Table:
    """Every row of one region (KeyError when it is no municipality, province or NL01)."""
    kind = published.region(region_code).type
    t = published.results
    return t.filter(
        pc.and_(pc.equal(t["region_type"], kind), pc.equal(t["region_code"], region_code))
    )


def _cells(published: Publication, table: pa.Table | None, kinds: Sequence[str]) -> list[Cell]:
    """The cells of ``table``'s rows (edition of `published`) in the given region types."""
    t = edition_rows(published, published.results if table is None else table)
    t = t.filter(pc.is_in(t["region_type"], value_set=pa.array(list(kinds))))
    return [Cell(**row) for row in t.select(list(_CELL_FIELDS)).to_pylist()]


def _grouped(published: Publication, cells: Iterable[Cell]) -> list[list[Cell]]:
    """Cells grouped per report, ordered by region (country, provinces, municipalities),
    region code, indicator (catalogue order), single years before pooled windows, period."""
    order = {d.id: i for i, d in enumerate(published.indicators)}
    groups: dict[_Key, list[Cell]] = defaultdict(list)
    for c in cells:
        if c.indicator_id in order:
            key = (c.indicator_id, c.region_type, c.region_code, c.period_start, c.period_end)
            groups[key].append(c)

    def rank(key: _Key) -> tuple[int, str, int, int, int]:
        ind, kind, code, start, end = key
        return (REGION_TYPES.index(kind), code, order[ind], end - start, start)

    return [
        groups[k] for k in sorted(groups, key=rank) if any(c.breakdown == TOTAL for c in groups[k])
    ]


def _report(published: Publication, cells: Sequence[Cell], lang: Lang) -> dict[str, Any]:
    """The MeasureReport dict of one indicator, region and period (cells incl. the total)."""
    total = next(c for c in cells if c.breakdown == TOTAL)
    d = published.indicator(total.indicator_id)
    start, end, code = total.period_start, total.period_end, total.region_code
    local_id = _local_id(cells)
    improvement, improvement_display = _IMPROVEMENT[d.direction]
    title = pick((d.title_nl, d.title_en), lang)
    group: dict[str, Any] = {
        "code": {
            "coding": [{"system": INDICATOR_SYSTEM, "code": d.id, "display": title}],
            "text": title,
        },
        "population": _populations(total),
        "measureScore": _score(total, lang),
    }
    stratifiers = _stratifiers(d, [c for c in cells if c.breakdown != TOTAL], lang)
    if stratifiers:
        group["stratifier"] = stratifiers
    report: dict[str, Any] = {
        "resourceType": "MeasureReport",
        "id": local_id if _FHIR_ID.fullmatch(local_id) else _uuid(published, local_id).hex,
        **_synthetic_meta(published),
        "language": lang,
        **(
            {"extension": [{"url": SYNTHETIC_EXTENSION, "valueString": synthetic_banner(lang)}]}
            if synthetic_run(published)
            else {}
        ),
        "identifier": [
            {
                "system": REPORT_SYSTEM,
                "value": f"{published.run_id}/{published.edition}/{local_id}",
            }
        ],
        "status": "complete",
        "type": "summary",
        "measure": f"{MEASURE_BASE}/{d.id}|{d.version}",
        "subject": {
            "type": "Location",
            "identifier": {"system": REGION_SYSTEM, "value": code},
            "display": region_name(published, code, lang),
        },
        "period": {"start": f"{start:04d}-01-01", "end": f"{end:04d}-12-31"},
        "reporter": {"type": "Organization", "display": REPORTER},
        "improvementNotation": {
            "coding": [
                {"system": IMPROVEMENT_SYSTEM, "code": improvement, "display": improvement_display}
            ]
        },
        "group": [group],
    }
    finished = published.manifest.get("finished")
    if finished:
        report["date"] = str(finished)
    return report


def _synthetic_meta(published: Publication) -> dict[str, Any]:
    """``{"meta": {"tag": [SYNTHETIC_TAG]}}`` for a run of synthetic data, else nothing."""
    return {"meta": {"tag": [dict(SYNTHETIC_TAG)]}} if synthetic_run(published) else {}


def _populations(cell: Cell) -> list[dict[str, Any]]:
    counts = {
        "initial-population": cell.denominator,
        "denominator": cell.denominator,
        "numerator": cell.numerator,
    }
    out: list[dict[str, Any]] = []
    for code, display in _POPULATIONS:
        entry: dict[str, Any] = {
            "code": {"coding": [{"system": POPULATION_SYSTEM, "code": code, "display": display}]}
        }
        count = None if cell.suppressed else counts[code]
        if count is None:
            entry["_count"] = _MASKED
        else:
            entry["count"] = int(count)
        out.append(entry)
    return out


def _quantity(value: float, unit: str, lang: Lang) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value, "unit": unit_label(unit, lang)}
    if unit in _UCUM_CODES:
        quantity |= {"system": UCUM, "code": _UCUM_CODES[unit]}
    return quantity


def _score(cell: Cell, lang: Lang) -> dict[str, Any]:
    if cell.suppressed or cell.value is None:
        return dict(_MASKED)
    score = _quantity(cell.value, cell.unit, lang)
    if cell.ci_low is not None and cell.ci_high is not None:
        score["extension"] = [
            {
                "url": CI_EXTENSION,
                "valueRange": {
                    "low": _quantity(cell.ci_low, cell.unit, lang),
                    "high": _quantity(cell.ci_high, cell.unit, lang),
                },
            }
        ]
    return score


def _stratifiers(d: Indicator, cells: Sequence[Cell], lang: Lang) -> list[dict[str, Any]]:
    by_breakdown: dict[str, list[Cell]] = defaultdict(list)
    for c in cells:
        by_breakdown[c.breakdown].append(c)
    known = [b for b in d.breakdowns if b in by_breakdown]
    ordered = known + sorted(set(by_breakdown) - set(known))
    out: list[dict[str, Any]] = []
    for breakdown in ordered:
        label = breakdown_label(breakdown, lang)
        strata = sorted(
            by_breakdown[breakdown],
            key=lambda c: (c.breakdown_value == "unknown", c.breakdown_value),
        )
        out.append(
            {
                "code": [
                    {
                        "coding": [
                            {"system": BREAKDOWN_SYSTEM, "code": breakdown, "display": label}
                        ],
                        "text": label,
                    }
                ],
                "stratum": [_stratum(c, lang) for c in strata],
            }
        )
    return out


def _stratum(cell: Cell, lang: Lang) -> dict[str, Any]:
    label = value_label(cell.breakdown_value, lang)
    return {
        "value": {
            "coding": [
                {
                    "system": f"{BREAKDOWN_SYSTEM}/{cell.breakdown}",
                    "code": cell.breakdown_value,
                    "display": label,
                }
            ],
            "text": label,
        },
        "population": _populations(cell),
        "measureScore": _score(cell, lang),
    }


def _uuid(published: Publication, local_id: str) -> uuid.UUID:
    """A stable UUID of a report of this run (same run and edition, same report)."""
    key = f"{REPORT_SYSTEM}/{published.run_id}/{published.edition}/{local_id}"
    return uuid.uuid5(uuid.NAMESPACE_URL, key)


def _local_id(cells: Sequence[Cell]) -> str:
    """indicator.region.start-end: unique within a run's edition."""
    c = cells[0]
    return f"{c.indicator_id}.{c.region_code}.{c.period_start}-{c.period_end}"
