"""Reading exports back, keyed by cell, so tests compare them with the results table."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
from openpyxl import load_workbook

from kansrijk.export._common import breakdown_label, value_label

#: (indicator, period, region code, breakdown, breakdown value)
Key = tuple[str, str, str, str, str]


def period_text(start: int, end: int) -> str:
    return str(start) if start == end else f"{start}-{end}"


def workbook_sheets(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Every sheet as a list of {header: value} rows."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    out: dict[str, list[dict[str, Any]]] = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        width = len(rows[0])  # read-only mode drops trailing empty cells: pad them back
        out[sheet.title] = [
            dict(zip(rows[0], (*row, *[None] * (width - len(row))), strict=True))
            for row in rows[1:]
        ]
    book.close()
    return out


def workbook_cells(data: bytes, indicator_ids: Iterable[str]) -> dict[Key, dict[str, Any]]:
    """The rows of an English workbook's indicator sheets, keyed by cell (labels as shown)."""
    sheets = workbook_sheets(data)
    out: dict[Key, dict[str, Any]] = {}
    for ind in indicator_ids:
        for row in sheets[ind]:
            key = (
                ind,
                row["period"],
                row["region code"],
                row["breakdown"],
                row["breakdown value"],
            )
            assert key not in out, key
            out[key] = row
    return out


def table_cells(table: pa.Table) -> dict[Key, dict[str, Any]]:
    """The results table keyed like `workbook_cells` (English labels)."""
    out: dict[Key, dict[str, Any]] = {}
    for row in table.to_pylist():
        key = (
            row["indicator_id"],
            period_text(row["period_start"], row["period_end"]),
            row["region_code"],
            breakdown_label(row["breakdown"], "en"),
            value_label(row["breakdown_value"], "en"),
        )
        out[key] = row
    return out


#: (indicator, period_start, period_end, region code, breakdown, breakdown value)
FhirKey = tuple[str, int, int, str, str, str]


def _entry(populations: list[dict[str, Any]], score: dict[str, Any]) -> dict[str, Any]:
    counts = {p["code"]["coding"][0]["code"]: p.get("count") for p in populations}
    masked = [p for p in populations if "_count" in p]
    ci = [e["valueRange"] for e in score.get("extension", []) if "valueRange" in e]
    return {
        "numerator": counts["numerator"],
        "denominator": counts["denominator"],
        "initial": counts["initial-population"],
        "value": score.get("value"),
        "ci_low": ci[0]["low"]["value"] if ci else None,
        "ci_high": ci[0]["high"]["value"] if ci else None,
        "masked_counts": len(masked),
        "masked_score": any(e.get("valueCode") == "masked" for e in score.get("extension", [])),
        "numbers": [p.get("count") for p in populations]
        + [score.get("value")]
        + [q["value"] for r in ci for q in (r["low"], r["high"])],
    }


def fhir_cells(reports: Iterable[dict[str, Any]]) -> dict[FhirKey, dict[str, Any]]:
    """Every cell (total and strata) of MeasureReports, keyed by cell."""
    out: dict[FhirKey, dict[str, Any]] = {}
    for report in reports:
        group = report["group"][0]
        ind = group["code"]["coding"][0]["code"]
        code = report["subject"]["identifier"]["value"]
        start = int(report["period"]["start"][:4])
        end = int(report["period"]["end"][:4])
        out[(ind, start, end, code, "total", "total")] = _entry(
            group["population"], group["measureScore"]
        )
        for stratifier in group.get("stratifier", []):
            breakdown = stratifier["code"][0]["coding"][0]["code"]
            for stratum in stratifier["stratum"]:
                value = stratum["value"]["coding"][0]["code"]
                out[(ind, start, end, code, breakdown, value)] = _entry(
                    stratum["population"], stratum["measureScore"]
                )
    return out


def ndjson(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
