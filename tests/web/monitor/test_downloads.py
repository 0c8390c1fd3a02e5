"""Downloads: a municipality's Excel, CSV and FHIR files, and the whole run's results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.test import Client
from openpyxl import load_workbook

from kansrijk.web.accounts.roles import Role
from tests.web import factories as f

pytestmark = pytest.mark.django_db
AMSTERDAM = "GM0363"
#: What disclosure control knows of a hidden cell and no download may say.
REASON_WORDS = ("suppression_reason", "primary", "secondary", "complement")


def _no_reason(text: str) -> None:
    assert not [w for w in REASON_WORDS if w in text.lower()]


def _client() -> Client:
    return f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=f.organisation()))


def _attachment(response: object, suffix: str) -> str:
    disposition = response["Content-Disposition"]  # type: ignore[index]
    assert disposition.startswith('attachment; filename="'), disposition
    assert disposition.endswith(f'{suffix}"'), disposition
    return str(disposition)


def test_excel_workbook(results: Path) -> None:
    response = _client().get(f"/monitor/gemeente/{AMSTERDAM}/download/xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "GM0363-amsterdam" in _attachment(response, ".xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "2019-07" in book.sheetnames and "definitions" in book.sheetnames
    rows = list(book["2019-07"].iter_rows(values_only=True))
    codes = {r[2] for r in rows[1:]}
    assert codes == {"NL01", "PV27", AMSTERDAM}  # the municipality, its province and NL
    # a hidden cell says "verborgen (privacy)", never why
    values = [v for sheet in book.worksheets for r in sheet.iter_rows(values_only=True) for v in r]
    _no_reason(" ".join(str(v) for v in values if v is not None))
    status = rows[0].index("status")  # read-only mode drops trailing empty cells
    assert {r[status] if len(r) > status else None for r in rows[1:]} <= {
        None,
        "verborgen (privacy)",
    }


def test_csv(results: Path) -> None:
    response = _client().get(f"/monitor/gemeente/{AMSTERDAM}/download/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    _attachment(response, ".csv")
    text = response.content.decode("utf-8")
    _no_reason(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["region_code"] for r in rows} == {"NL01", "PV27", AMSTERDAM}
    for r in rows:
        if r["suppressed"] == "true":
            assert r["value"] == r["numerator"] == r["denominator"] == ""


def test_fhir_bundle(results: Path) -> None:
    response = _client().get(f"/monitor/gemeente/{AMSTERDAM}/download/fhir")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    _attachment(response, ".fhir.json")
    _no_reason(response.content.decode("utf-8"))
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle"
    reports = [e["resource"] for e in bundle["entry"]]
    assert reports and all(r["resourceType"] == "MeasureReport" for r in reports)
    subjects = {r["subject"]["identifier"]["value"] for r in reports}
    assert AMSTERDAM in subjects


def test_whole_run(results: Path) -> None:
    client = _client()
    parquet = client.get("/monitor/download/results.parquet")
    assert parquet.status_code == 200
    _attachment(parquet, "results.parquet")
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == pq.read_table(results / "results.parquet").num_rows
    assert "suppression_reason" not in table.column_names
    full = client.get("/monitor/download/results.csv")
    assert full.status_code == 200
    _attachment(full, "results.csv")
    assert full.content.count(b"\n") == table.num_rows + 1
    _no_reason(full.content.decode("utf-8"))


def test_english_workbook(results: Path) -> None:
    client = _client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(f"/monitor/gemeente/{AMSTERDAM}/download/xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    header = next(book["2019-07"].iter_rows(values_only=True))
    assert "value" in [str(h).lower() for h in header]
