"""The Excel workbook of a published run: one sheet per indicator, its definitions, its manifest.

Layout (headers in Dutch or English, ``lang``):

* one sheet per indicator, named by its id, in catalogue order. Row 1 holds the headers; the
  rows follow, single years first and pooled windows after them, each period ordered by region
  (Nederland, provinces, municipalities, the unknown remainder), region code, breakdown
  ("totaal" first) and breakdown value. Columns: period, region type, region code, region
  name, breakdown, breakdown value, value, 95% CI low/high, numerator, denominator, unit and
  status. A hidden cell has every number empty and the status "verborgen (privacy)".
* ``definitions``: one row per indicator (id, version, titles, population, numerator,
  denominator, unit, direction, pooling, sources, deviations, definition hash, ...).
* ``manifest``: run id, editions, years, classification year, threshold, start and finish,
  software versions and the inputs with their SHA-256.
* a run computed from synthetic data (its manifest says ``"synthetic": true``) gets a first
  sheet ``lees mij`` (English: ``read me``, `README_SHEET`) whose first cell is the banner
  "Synthetische gegevens: ..." (`kansrijk.report.labels.synthetic_banner`), and a manifest row
  saying so; the other sheets are unchanged (row 1 still holds the headers).

Values are written unrounded (equal to ``results.parquet``) with a one-decimal display format.
The sheets are written by `kansrijk.export._xlsx` (row by row as text, one sheet at a time;
openpyxl's write-only mode took about 15 us a cell, 8.6 s of the workbook at scale 0.05); the
columns come from Arrow as Python lists, and a municipality's workbook (its rows plus the same
cells of its province and the country) is built from a filtered Arrow table.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import IO, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kansrijk.export import _xlsx as xlsx
from kansrijk.export._common import (
    HIDDEN_LABEL,
    REGION_TYPES,
    breakdown_label,
    check_lang,
    edition_rows,
    pick,
    region_name,
    region_type_label,
    selected_rows,
    unit_label,
    value_label,
)
from kansrijk.indicators import Direction, Indicator
from kansrijk.publication import TOTAL, Publication
from kansrijk.report.definitions_nl import dutch_definition
from kansrijk.report.deviations_nl import deviations
from kansrijk.report.labels import Lang, region_rule, synthetic_banner

DEFINITIONS_SHEET: Final = "definitions"
MANIFEST_SHEET: Final = "manifest"
#: (Dutch, English) name of the first sheet of a workbook of synthetic data.
README_SHEET: Final = ("lees mij", "read me")
_README_WIDTH: Final = 110

#: (Dutch, English) headers of an indicator sheet, in column order.
RESULT_HEADERS: Final = (
    ("periode", "period"),
    ("regiotype", "region type"),
    ("regiocode", "region code"),
    ("regionaam", "region name"),
    ("uitsplitsing", "breakdown"),
    ("categorie", "breakdown value"),
    ("waarde", "value"),
    ("95%-BI ondergrens", "95% CI low"),
    ("95%-BI bovengrens", "95% CI high"),
    ("teller", "numerator"),
    ("noemer", "denominator"),
    ("eenheid", "unit"),
    ("status", "status"),
)
_RESULT_WIDTHS: Final = (11, 12, 11, 28, 34, 16, 10, 10, 10, 10, 11, 10, 20)
#: Columns (0-based) shown with one decimal.
_DECIMAL_COLUMNS: Final = frozenset({6, 7, 8})

DEFINITION_HEADERS: Final = (
    ("indicator", "indicator"),
    ("versie", "version"),
    ("titel (nl)", "title (nl)"),
    ("titel (en)", "title (en)"),
    ("populatie", "population"),
    ("teller", "numerator"),
    ("noemer", "denominator"),
    ("eenheid", "unit"),
    ("richting", "direction"),
    ("gepoold over (jaren)", "pooled over (years)"),
    ("tijdsreferentie", "time reference"),
    ("regioregel", "region rule"),
    ("bronnen", "sources"),
    ("afwijkingen", "deviations"),
    ("definitiehash", "definition hash"),
)
_DEFINITION_WIDTHS: Final = (11, 8, 40, 40, 50, 50, 40, 10, 16, 12, 30, 40, 24, 80, 66)
_DIRECTION_LABELS: Final = {
    Direction.LOWER_IS_BETTER: ("lager is beter", "lower is better"),
    Direction.HIGHER_IS_BETTER: ("hoger is beter", "higher is better"),
}

MANIFEST_HEADERS: Final = (("onderdeel", "item"), ("waarde", "value"), ("toelichting", "detail"))
_MANIFEST_WIDTHS: Final = (30, 68, 60)
_MANIFEST_LABELS: Final = {
    "run_id": ("run-id", "run id"),
    "editions": ("edities", "editions"),
    "years": ("jaren", "years"),
    "classification_year": ("gemeentelijke indeling", "classification year"),
    "threshold": ("drempel (onthullingscontrole)", "threshold (disclosure control)"),
    "started": ("gestart", "started"),
    "finished": ("klaar", "finished"),
    "municipality": ("gemeente (selectie)", "municipality (selection)"),
    "software": ("software", "software"),
    "input": ("invoer", "input"),
    "synthetic": ("synthetische gegevens", "synthetic data"),
    "skipped": ("niet berekend", "not computed"),
    "missing_tables": ("ontbrekende invoer", "missing input"),
}
_YES: Final = ("ja", "yes")


def write_workbook(
    published: Publication,
    target: Path | IO[bytes],
    *,
    lang: Lang = "nl",
    municipality: str | None = None,
    table: pa.Table | None = None,
) -> None:
    """Write the workbook of ``published`` (or of one municipality) to a path or binary file.

    ``table``: the rows to show when the caller has selected them already (default: all
    results, or the municipality's, see `kansrijk.export._common.selected_rows`). A writer:
    `kansrijk.export.export_all` calls it on a temporary path (`Publication.write`).
    """
    lang = check_lang(lang)
    if table is None:
        table = selected_rows(published, municipality)
    columns, bounds = _result_columns(published, edition_rows(published, table), lang)
    headers = [pick(h, lang) for h in RESULT_HEADERS]
    styles = [xlsx.DECIMAL if i in _DECIMAL_COLUMNS else xlsx.NORMAL for i in range(len(headers))]
    with xlsx.Workbook(target) as book:
        if published.synthetic:
            book.sheet(
                pick(README_SHEET, lang),
                [[synthetic_banner(lang)]],
                widths=[_README_WIDTH],
                styles=[xlsx.BANNER],
            )
        for d, (start, stop) in zip(published.indicators, bounds, strict=True):
            rows = zip(*(c[start:stop] for c in columns), strict=True)
            book.sheet(d.id, rows, widths=_RESULT_WIDTHS, styles=styles, header=headers)
        hashes = _definition_hashes(published)
        book.sheet(
            DEFINITIONS_SHEET,
            [_definition_row(d, hashes.get(d.id), lang) for d in published.indicators],
            widths=_DEFINITION_WIDTHS,
            header=[pick(h, lang) for h in DEFINITION_HEADERS],
        )
        book.sheet(
            MANIFEST_SHEET,
            manifest_rows(published, lang, municipality),
            widths=_MANIFEST_WIDTHS,
            header=[pick(h, lang) for h in MANIFEST_HEADERS],
        )


def sort_for_sheets(published: Publication, table: pa.Table) -> pa.Table:
    """``table``'s rows of the run's indicators, in sheet order, with the indicator's rank in
    column ``_sheet``."""
    ranks = pc.index_in(
        table["indicator_id"], value_set=pa.array([d.id for d in published.indicators])
    )
    span = pc.subtract(table["period_end"], table["period_start"])
    keyed = (
        table.append_column("_sheet", ranks)
        .append_column("_span", span)
        .append_column(
            "_region", pc.index_in(table["region_type"], value_set=pa.array(REGION_TYPES))
        )
        .append_column("_breakdown", pc.not_equal(table["breakdown"], TOTAL))
        .append_column("_unknown", pc.equal(table["breakdown_value"], "unknown"))
    )
    keyed = keyed.filter(pc.is_valid(keyed["_sheet"]))
    return keyed.sort_by(
        [
            ("_sheet", "ascending"),
            ("_span", "ascending"),
            ("period_start", "ascending"),
            ("_region", "ascending"),
            ("region_code", "ascending"),
            ("_breakdown", "ascending"),
            ("breakdown", "ascending"),
            ("_unknown", "ascending"),
            ("breakdown_value", "ascending"),
        ]
    )


def _labelled(column: pa.ChunkedArray, label: Callable[[str], str]) -> list[object]:
    """Map each distinct value of a string column through ``label`` (vectorised take)."""
    distinct = pc.unique(column)
    labels = pa.array([label(v) for v in distinct.to_pylist()], pa.string())
    return pc.take(labels, pc.index_in(column, value_set=distinct)).to_pylist()  # type: ignore[no-any-return]


def _result_columns(
    published: Publication, table: pa.Table, lang: Lang
) -> tuple[list[list[object]], list[tuple[int, int]]]:
    """The sheet columns as Python lists, and each indicator's (start, stop) row range."""
    t = sort_for_sheets(published, table)
    start = pc.cast(t["period_start"], pa.string())
    period = pc.if_else(
        pc.equal(t["_span"], 0),
        start,
        pc.binary_join_element_wise(start, pc.cast(t["period_end"], pa.string()), "-"),
    )
    codes = t["region_code"]
    status = pc.if_else(t["suppressed"], pick(HIDDEN_LABEL, lang), pa.scalar(None, pa.string()))
    columns: list[list[object]] = [
        period.to_pylist(),
        _labelled(t["region_type"], lambda v: region_type_label(v, lang)),
        codes.to_pylist(),
        _labelled(codes, lambda c: region_name(published, c, lang)),
        _labelled(t["breakdown"], lambda v: breakdown_label(v, lang)),
        _labelled(t["breakdown_value"], lambda v: value_label(v, lang)),
        t["value"].to_pylist(),
        t["ci_low"].to_pylist(),
        t["ci_high"].to_pylist(),
        t["numerator"].to_pylist(),
        t["denominator"].to_pylist(),
        _labelled(t["unit"], lambda v: unit_label(v, lang)),
        status.to_pylist(),
    ]
    ranks = np.asarray(t["_sheet"].to_numpy(), dtype=np.int64)
    edges = np.searchsorted(ranks, np.arange(len(published.indicators) + 1), side="left")
    bounds = [(int(a), int(b)) for a, b in itertools.pairwise(edges)]
    return columns, bounds


def _definition_hashes(published: Publication) -> dict[str, str]:
    """indicator id -> the definition hash the run recorded (engine fingerprint included)."""
    t = edition_rows(published, published.results)
    first = t.group_by("indicator_id").aggregate([("definition_hash", "min")])
    return dict(
        zip(
            first["indicator_id"].to_pylist(),
            first["definition_hash_min"].to_pylist(),
            strict=True,
        )
    )


def _definition_row(d: Indicator, definition_hash: str | None, lang: Lang) -> list[object]:
    """One indicator's definition in ``lang``: the Dutch workbook takes the Dutch texts of
    the report (`kansrijk.report.definitions_nl`, `kansrijk.report.deviations_nl`), so its
    Dutch headers are not over English text."""
    if lang == "nl":
        nl = dutch_definition(d.id, d.version)
        texts = (nl.population, nl.numerator, nl.denominator, nl.time_reference)
    else:
        texts = (d.population, d.numerator, d.denominator, d.time_reference)
    population, numerator, denominator, time_reference = texts
    return [
        d.id,
        d.version,
        d.title_nl,
        d.title_en,
        population,
        numerator,
        denominator,
        unit_label(str(d.unit), lang),
        pick(_DIRECTION_LABELS[d.direction], lang),
        d.pooling_years,
        time_reference,
        region_rule(str(d.region_rule), lang),
        ", ".join(d.sources),
        "\n".join(dev.text for dev in deviations(d, lang)) or None,
        definition_hash,
    ]


def manifest_rows(
    published: Publication, lang: Lang = "nl", municipality: str | None = None
) -> list[tuple[str, str | None, str | None]]:
    """(item, value, detail) rows describing the run, for the manifest sheet."""
    m = published.manifest
    params = published.parameters
    label = {k: pick(v, lang) for k, v in _MANIFEST_LABELS.items()}
    years = params.get("years")
    rows: list[tuple[str, str | None, str | None]] = [
        (label["run_id"], published.run_id, None),
        (label["editions"], _join(params.get("editions")), None),
        (label["years"], "-".join(map(str, years)) if isinstance(years, list) else None, None),
        (label["classification_year"], str(published.classification_year), None),
        (label["threshold"], str(published.threshold), None),
        (label["started"], _text(m.get("started")), None),
        (label["finished"], _text(m.get("finished")), None),
    ]
    if published.synthetic:
        rows.append((label["synthetic"], pick(_YES, lang), synthetic_banner(lang)))
    if municipality is not None:
        rows.append((label["municipality"], municipality, published.region(municipality).name))
    skipped = m.get("skipped")
    if isinstance(skipped, dict):
        # Indicators the run could not compute (an input table was not delivered): absent
        # from the sheets, so say why, not leave the reader to think they do not exist.
        for key, entry in sorted(skipped.items()):
            edition, _, indicator = str(key).partition("/")
            tables = entry.get("missing_tables") if isinstance(entry, dict) else None
            rows.append(
                (
                    f"{label['skipped']}: {indicator} ({edition})",
                    label["missing_tables"],
                    _join(tables),
                )
            )
    software = m.get("software")
    if isinstance(software, dict):
        rows += [(f"{label['software']}: {k}", _text(v), None) for k, v in sorted(software.items())]
    inputs = m.get("inputs")
    if isinstance(inputs, dict):
        for name, entry in sorted(inputs.items()):
            spec = entry if isinstance(entry, dict) else {}
            rows.append(
                (f"{label['input']}: {name}", _text(spec.get("sha256")), _join(spec.get("files")))
            )
    return rows


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _join(values: object) -> str | None:
    if isinstance(values, list | tuple):
        return ", ".join(map(str, values))
    return _text(values)
