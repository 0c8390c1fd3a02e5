"""FHIR MeasureReports of published results, for systems that read quality measures.

FHIR version: the resources are validated with ``fhir.resources``' R4B models (FHIR 4.3.0).
MeasureReport is structurally the same in R4 (4.0.1) and R4B (same elements, cardinalities and
types), so every report written here is also a valid R4 MeasureReport; nothing R4B-only is
used. Resources are built as plain dicts (JSON-ready) and checked against the models *per
shape*, not per resource (validating each of some 30,000 reports took minutes): the rows are
sorted into report order with Arrow and turned into lists once, each report is built from the
same fixed parts, the first report of each shape (indicator, the form of the total, and per
breakdown the forms of its strata; `ShapeValidator`) is validated with the MeasureReport model,
and every value that differs between reports of one shape (region codes and names, breakdown
values and labels, counts, scores, years) is checked against its FHIR type once per distinct
value before any report is built. A malformed shape or value still fails the export.

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

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Literal, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pydantic_core
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.measurereport import MeasureReport
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference

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
from kansrijk.indicators import Direction
from kansrijk.publication import TOTAL, Publication
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
    reports = [b.report for b in _Builder(published, lang).reports(t, REPORT_REGION_TYPES)]
    if not reports:
        raise KeyError(f"no cell of {indicator_id} for {region_code} in {start}-{end}")
    validate_report(reports[0])
    return reports[0]


def measure_reports(
    published: Publication,
    table: pa.Table | None = None,
    *,
    regions: Regions = "municipalities",
    lang: Lang = "nl",
) -> Iterator[dict[str, Any]]:
    """Validated MeasureReports of every indicator and period of the municipalities (or of all
    regions: the country, provinces and municipalities) in ``table`` (default: all results).

    Validated per shape (see `ShapeValidator`): the first report of each shape against the
    MeasureReport model, every value that varies between reports of a shape beforehand.
    """
    lang = check_lang(lang)
    kinds = ["gemeente"] if regions == "municipalities" else list(REPORT_REGION_TYPES)
    validator = ShapeValidator()
    for shape, _, report in _Builder(published, lang).reports(table, kinds):
        validator.check(shape, report)
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
    lines: list[bytes] = []
    for report in measure_reports(published, table, regions=regions, lang=lang):
        lines.append(_dumps(report))
        count += 1
        if len(lines) >= 1000:
            target.write(b"\n".join(lines) + b"\n")
            lines.clear()
    if lines:
        target.write(b"\n".join(lines) + b"\n")
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
    `kansrijk.export._common.municipality_rows`). Validated per shape: the Bundle with one
    entry per shape of report (and every varying value) against the models.
    """
    lang = check_lang(lang)
    region = published.region(region_code)
    if comparison and region.type == "gemeente":
        rows = municipality_rows(published, region_code)
    else:
        rows = _region_rows(published, region_code)
    builder = _Builder(published, lang)
    entries: list[dict[str, Any]] = []
    samples: dict[Shape, dict[str, Any]] = {}
    for shape, local_id, report in builder.reports(rows, REPORT_REGION_TYPES):
        entry = {"fullUrl": f"urn:uuid:{_uuid(published, local_id)}", "resource": report}
        entries.append(entry)
        samples.setdefault(shape, entry)
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        **_synthetic_meta(published),
        "identifier": {"system": BUNDLE_SYSTEM, "value": f"{published.run_id}/{region_code}"},
        "type": "collection",
    }
    finished = published.manifest.get("finished")
    if finished:
        bundle["timestamp"] = str(finished)
    Bundle.model_validate({**bundle, "entry": list(samples.values())})
    bundle["entry"] = entries
    return bundle


def validate_report(report: dict[str, Any]) -> None:
    """Raise (pydantic ValidationError, a ValueError) unless ``report`` is a valid
    MeasureReport."""
    MeasureReport.model_validate(report)


#: What makes two reports the same shape: the indicator (its title, unit, direction and
#: breakdowns are fixed parts), whether the total is hidden, has an interval or only a value,
#: and per stratifier its breakdown and the set of forms its strata take.
Shape = tuple[object, ...]


class ShapeValidator:
    """Validates the first report of each shape against the MeasureReport model.

    Reports of one shape are built by the same code from the same fixed parts; only values
    differ (region code and name, counts, scores, breakdown values and labels, ids and
    periods). `_Builder` checks each distinct varying value against its FHIR type before any
    report is built (`_check_values`), so one validated report per shape stands for all.
    """

    def __init__(self) -> None:
        self._seen: set[Shape] = set()

    def check(self, shape: Shape, report: dict[str, Any]) -> None:
        """Validate ``report`` when it is the first of its shape (raises like
        `validate_report`)."""
        if shape not in self._seen:
            validate_report(_sample(report))
            self._seen.add(shape)

    @property
    def shapes(self) -> int:
        """How many shapes were validated."""
        return len(self._seen)


# -- building -------------------------------------------------------------------------------
#: The columns a report is built from, in the order `_Builder.reports` reads them.
_COLUMNS: Final = (
    "indicator_id",
    "region_type",
    "region_code",
    "period_start",
    "period_end",
    "breakdown",
    "breakdown_value",
    "suppressed",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "unit",
)
_INT32: Final = (-(2**31), 2**31 - 1)


def _region_rows(published: Publication, region_code: str) -> pa.Table:
    """Every row of one region (KeyError when it is no municipality, province or NL01)."""
    kind = published.region(region_code).type
    t = published.results
    return t.filter(
        pc.and_(pc.equal(t["region_type"], kind), pc.equal(t["region_code"], region_code))
    )


class _Built(NamedTuple):
    shape: Shape
    local_id: str  # indicator.region.start-end: unique within a run's edition
    report: dict[str, Any]


class _Builder:
    """MeasureReports of a run as plain dicts, from Arrow columns turned into lists.

    The rows are sorted into report order with Arrow (region type, region code, indicator in
    catalogue order, single years before pooled windows, period; within a report the total,
    then the breakdowns in the indicator's order, then values with "unknown" last), so each
    report is one run of consecutive rows. The parts that are fixed per run, indicator or
    region are made once; each report copies them into fresh dicts.
    """

    def __init__(self, published: Publication, lang: Lang) -> None:
        self.published = published
        self.lang = lang
        self.synthetic = published.synthetic
        finished = published.manifest.get("finished")
        self.date = str(finished) if finished else None
        self.order = {d.id: i for i, d in enumerate(published.indicators)}
        self._indicators: dict[str, _IndicatorParts] = {}
        self._labels: dict[tuple[str, str], str] = {}

    # -- rows -------------------------------------------------------------------------------
    def rows(self, table: pa.Table | None, kinds: Sequence[str]) -> pa.Table:
        """``table``'s rows (edition of the run, region types ``kinds``, indicators of the run)
        in report order."""
        published = self.published
        t = edition_rows(published, published.results if table is None else table)
        ids = pa.array(list(self.order), pa.string())
        t = t.filter(
            pc.and_(
                pc.is_in(t["region_type"], value_set=pa.array(list(kinds), pa.string())),
                pc.is_in(t["indicator_id"], value_set=ids),
            )
        )
        # breakdown rank per indicator: total, the indicator's breakdowns, others by name
        pair = pc.binary_join_element_wise(t["indicator_id"], t["breakdown"], "\x1f")
        pairs = [str(p) for p in pc.unique(pair).to_pylist()]
        ordered = sorted(pairs, key=lambda p: self._breakdown_rank(*p.split("\x1f", 1)))
        position = {p: k for k, p in enumerate(ordered)}
        ranks = [position[p] for p in pairs]
        keyed = (
            t.append_column(
                "_region", pc.index_in(t["region_type"], value_set=pa.array(REGION_TYPES))
            )
            .append_column("_indicator", pc.index_in(t["indicator_id"], value_set=ids))
            .append_column("_span", pc.subtract(t["period_end"], t["period_start"]))
            .append_column(
                "_breakdown",
                pc.take(
                    pa.array(ranks, pa.int64()),
                    pc.index_in(pair, value_set=pa.array(pairs, pa.string())),
                ),
            )
            .append_column("_unknown", pc.equal(t["breakdown_value"], "unknown"))
        )
        return keyed.sort_by(
            [
                ("_region", "ascending"),
                ("region_code", "ascending"),
                ("_indicator", "ascending"),
                ("_span", "ascending"),
                ("period_start", "ascending"),
                ("_breakdown", "ascending"),
                ("_unknown", "ascending"),
                ("breakdown_value", "ascending"),
            ]
        ).select(list(_COLUMNS))

    def _breakdown_rank(self, indicator_id: str, breakdown: str) -> tuple[int, int, str]:
        """Sort key of a breakdown: total first, then the indicator's breakdowns in its
        order, then any other by name."""
        ind = self.order[indicator_id]
        if breakdown == TOTAL:
            return (ind, 0, "")
        known = list(self.published.indicator(indicator_id).breakdowns)
        if breakdown in known:
            return (ind, 1 + known.index(breakdown), "")
        return (ind, 1 + len(known), breakdown)

    # -- reports ----------------------------------------------------------------------------
    def reports(self, table: pa.Table | None, kinds: Sequence[str]) -> Iterator[_Built]:
        """Every report (shape, local id, dict) of an indicator, region and period with a total
        cell in ``table``."""
        t = self.rows(table, kinds)
        self._check_values(t)
        cols = [t[c].to_pylist() for c in _COLUMNS]
        rows = list(zip(*cols, strict=True))
        n = len(rows)
        i = 0
        while i < n:
            first = rows[i]
            key = first[:5]
            j = i + 1
            while j < n and rows[j][:5] == key:
                j += 1
            if first[5] == TOTAL:
                yield self._report(rows[i:j])
            i = j

    def _report(self, rows: Sequence[tuple[Any, ...]]) -> _Built:
        """The shape and MeasureReport dict of one report's rows (the total first)."""
        published, lang = self.published, self.lang
        total = rows[0]
        ind, _, code, start, end = total[:5]
        d = self._indicator(ind)
        local_id = f"{ind}.{code}.{start}-{end}"
        title = d.title
        group: dict[str, Any] = {
            "code": {
                "coding": [{"system": INDICATOR_SYSTEM, "code": ind, "display": title}],
                "text": title,
            },
            "population": _populations(total),
            "measureScore": self._score(total),
        }
        shape: list[object] = [ind, _form(total)]
        if len(rows) > 1:
            stratifiers = []
            k, n = 1, len(rows)
            while k < n:
                breakdown = rows[k][5]
                m = k + 1
                while m < n and rows[m][5] == breakdown:
                    m += 1
                strata = rows[k:m]
                label = self._breakdown_label(breakdown)
                stratifiers.append(
                    {
                        "code": [
                            {
                                "coding": [
                                    {
                                        "system": BREAKDOWN_SYSTEM,
                                        "code": breakdown,
                                        "display": label,
                                    }
                                ],
                                "text": label,
                            }
                        ],
                        "stratum": [self._stratum(r) for r in strata],
                    }
                )
                shape.append((breakdown, tuple(sorted({_form(r) for r in strata}))))
                k = m
            group["stratifier"] = stratifiers
        report: dict[str, Any] = {
            "resourceType": "MeasureReport",
            "id": local_id if _FHIR_ID.fullmatch(local_id) else _uuid(published, local_id).hex,
        }
        if self.synthetic:
            report["meta"] = {"tag": [dict(SYNTHETIC_TAG)]}
        report["language"] = lang
        if self.synthetic:
            report["extension"] = [
                {"url": SYNTHETIC_EXTENSION, "valueString": synthetic_banner(lang)}
            ]
        report |= {
            "identifier": [
                {
                    "system": REPORT_SYSTEM,
                    "value": f"{published.run_id}/{published.edition}/{local_id}",
                }
            ],
            "status": "complete",
            "type": "summary",
            "measure": d.measure,
            "subject": {
                "type": "Location",
                "identifier": {"system": REGION_SYSTEM, "value": code},
                "display": self._region_name(code),
            },
            "period": {"start": f"{start:04d}-01-01", "end": f"{end:04d}-12-31"},
            "reporter": {"type": "Organization", "display": REPORTER},
            "improvementNotation": {
                "coding": [
                    {
                        "system": IMPROVEMENT_SYSTEM,
                        "code": d.improvement,
                        "display": d.improvement_display,
                    }
                ]
            },
            "group": [group],
        }
        if self.date is not None:
            report["date"] = self.date
        return _Built(tuple(shape), local_id, report)

    def _stratum(self, row: tuple[Any, ...]) -> dict[str, Any]:
        breakdown, value = row[5], row[6]
        label = self._value_label(value)
        return {
            "value": {
                "coding": [
                    {"system": f"{BREAKDOWN_SYSTEM}/{breakdown}", "code": value, "display": label}
                ],
                "text": label,
            },
            "population": _populations(row),
            "measureScore": self._score(row),
        }

    def _score(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """The measureScore of a row: a quantity with the interval, or masked."""
        suppressed, value, low, high, unit = row[7], row[10], row[11], row[12], row[13]
        if suppressed or value is None:
            return {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]}
        score = self._quantity(value, unit)
        if low is not None and high is not None:
            score["extension"] = [
                {
                    "url": CI_EXTENSION,
                    "valueRange": {
                        "low": self._quantity(low, unit),
                        "high": self._quantity(high, unit),
                    },
                }
            ]
        return score

    def _quantity(self, value: float, unit: str) -> dict[str, Any]:
        quantity: dict[str, Any] = {"value": value, "unit": self._unit_label(unit)}
        ucum = _UCUM_CODES.get(unit)
        if ucum is not None:
            quantity["system"] = UCUM
            quantity["code"] = ucum
        return quantity

    # -- fixed parts and labels (memoised per builder) -------------------------------------
    def _indicator(self, indicator_id: str) -> _IndicatorParts:
        parts = self._indicators.get(indicator_id)
        if parts is None:
            d = self.published.indicator(indicator_id)
            improvement, display = _IMPROVEMENT[d.direction]
            parts = self._indicators[indicator_id] = _IndicatorParts(
                title=pick((d.title_nl, d.title_en), self.lang),
                measure=f"{MEASURE_BASE}/{d.id}|{d.version}",
                improvement=improvement,
                improvement_display=display,
            )
        return parts

    def _region_name(self, code: str) -> str:
        return self._label("region", code, region_name, self.published)

    def _breakdown_label(self, breakdown: str) -> str:
        return self._label("breakdown", breakdown, breakdown_label)

    def _value_label(self, value: str) -> str:
        return self._label("value", value, value_label)

    def _unit_label(self, unit: str) -> str:
        return self._label("unit", unit, unit_label)

    def _label(self, kind: str, key: str, label: Callable[..., str], *first: object) -> str:
        """``label(*first, key, lang)``, computed once per builder."""
        text = self._labels.get((kind, key))
        if text is None:
            text = self._labels[(kind, key)] = label(*first, key, self.lang)
        return text

    # -- values -----------------------------------------------------------------------------
    def _check_values(self, t: pa.Table) -> None:
        """Check every value that differs between reports of one shape against its FHIR type,
        once per distinct value: region codes and names (Reference), breakdowns, their values
        and labels (Coding), counts (32-bit integers) and scores (finite decimals).

        Raises pydantic's ValidationError (a ValueError) or ValueError.
        """
        for code in pc.unique(t["region_code"]).to_pylist():
            Reference.model_validate(
                {
                    "type": "Location",
                    "identifier": {"system": REGION_SYSTEM, "value": code},
                    "display": self._region_name(code),
                }
            )
        pairs = pc.unique(
            pc.binary_join_element_wise(t["breakdown"], t["breakdown_value"], "\x1f")
        ).to_pylist()
        for pair in pairs:
            breakdown, value = str(pair).split("\x1f", 1)
            Coding.model_validate(
                {
                    "system": BREAKDOWN_SYSTEM,
                    "code": breakdown,
                    "display": self._breakdown_label(breakdown),
                }
            )
            Coding.model_validate(
                {
                    "system": f"{BREAKDOWN_SYSTEM}/{breakdown}",
                    "code": value,
                    "display": self._value_label(value),
                }
            )
        for unit in pc.unique(t["unit"]).to_pylist():
            Quantity.model_validate({"value": 1, "unit": self._unit_label(unit)})
        for column in ("numerator", "denominator"):
            low, high = pc.min_max(t[column]).values()
            if low.is_valid and (low.as_py() < _INT32[0] or high.as_py() > _INT32[1]):
                raise ValueError(f"{column} outside FHIR's integer range")
        for column in ("period_start", "period_end"):
            low, high = pc.min_max(t[column]).values()
            if low.is_valid and (low.as_py() < 1 or high.as_py() > 9999):
                raise ValueError(f"{column} is no year FHIR can write (1-9999)")
        for column in ("value", "ci_low", "ci_high"):
            values = t[column]
            if pc.any(pc.invert(pc.is_finite(values))).as_py():
                raise ValueError(f"{column} holds a value that is not a finite decimal")


@dataclass(frozen=True)
class _IndicatorParts:
    """What every report of one indicator shares."""

    title: str
    measure: str
    improvement: str
    improvement_display: str


def _form(row: tuple[Any, ...]) -> tuple[bool, bool, str]:
    """The form a cell takes in a report: which counts are present, and its score (hidden,
    a value with its interval, or a value alone)."""
    suppressed, numerator, denominator, value, low, high = (
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
    )
    if suppressed:
        return (False, False, "masked")
    if value is None:
        score = "masked"
    elif low is not None and high is not None:
        score = "interval"
    else:
        score = "value"
    return (numerator is not None, denominator is not None, score)


def _populations(row: tuple[Any, ...]) -> list[dict[str, Any]]:
    """initial-population, denominator (both the denominator) and numerator of a row."""
    suppressed, numerator, denominator = row[7], row[8], row[9]
    out: list[dict[str, Any]] = []
    for (code, display), count in zip(
        _POPULATIONS, (denominator, denominator, numerator), strict=True
    ):
        entry: dict[str, Any] = {
            "code": {"coding": [{"system": POPULATION_SYSTEM, "code": code, "display": display}]}
        }
        if suppressed or count is None:
            entry["_count"] = {"extension": [{"url": DATA_ABSENT_REASON, "valueCode": "masked"}]}
        else:
            entry["count"] = int(count)
        out.append(entry)
    return out


def _sample(report: dict[str, Any]) -> dict[str, Any]:
    """``report`` with, per stratifier, only the first stratum of each form (which counts it
    has, which score elements): the parts a validation of its shape needs. Strata of one form
    are built alike, so the model passes the sample exactly when it passes the report."""
    group = report["group"][0]
    if "stratifier" not in group:
        return report
    stratifiers = []
    for stratifier in group["stratifier"]:
        forms: dict[tuple[object, ...], dict[str, Any]] = {}
        for stratum in stratifier["stratum"]:
            form = (
                tuple(sorted(k for p in stratum["population"] for k in p)),
                tuple(sorted(stratum["measureScore"])),
            )
            forms.setdefault(form, stratum)
        stratifiers.append({**stratifier, "stratum": list(forms.values())})
    return {**report, "group": [{**group, "stratifier": stratifiers}]}


def _synthetic_meta(published: Publication) -> dict[str, Any]:
    """``{"meta": {"tag": [SYNTHETIC_TAG]}}`` for a run of synthetic data, else nothing."""
    return {"meta": {"tag": [dict(SYNTHETIC_TAG)]}} if published.synthetic else {}


def _dumps(report: dict[str, Any]) -> bytes:
    """Compact JSON in UTF-8 (non-ASCII text as is), by pydantic-core's serialiser.

    The same bytes as ``json.dumps(report, ensure_ascii=False, separators=(",", ":"))``
    (what this module wrote before, at a third of the time), except numbers below 1e-4,
    which it writes positionally ("0.000025", not "2.5e-05"): the same JSON number and FHIR
    decimal. Non-finite numbers never get here (`_Builder._check_values` refuses them).
    """
    return pydantic_core.to_json(report)


def _uuid(published: Publication, local_id: str) -> uuid.UUID:
    """A stable UUID of a report of this run (same run and edition, same report)."""
    key = f"{REPORT_SYSTEM}/{published.run_id}/{published.edition}/{local_id}"
    return uuid.uuid5(uuid.NAMESPACE_URL, key)
