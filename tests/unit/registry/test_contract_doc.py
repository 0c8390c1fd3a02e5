"""docs/data-contract.md is generated from the contract and must be current."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.engine.inputs import optional_reads, requirements
from kansrijk.indicators import catalogue
from kansrijk.registry.contract import TABLES
from kansrijk.registry.contract_doc import render_contract_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-contract.md"


def _page() -> str:
    """The page as the CLI writes it: with the indicators that read each table."""
    return render_contract_markdown(requirements(catalogue()), optional_reads(catalogue()))


def test_committed_contract_page_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == _page(), (
        "docs/data-contract.md is stale: run `make docs` "
        "(kansrijk registry contract --out docs/data-contract.md)"
    )


def test_page_documents_every_table_and_column() -> None:
    text = render_contract_markdown()
    for t in TABLES:
        assert f"### `{t.name}`" in text
        for c in t.columns:
            assert f"| `{c.name}` | {c.type.value} |" in text
        for r in t.rules:
            assert f"Rule `{r.name}`" in text


def test_cli_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "contract.md"
    result = CliRunner().invoke(app, ["registry", "contract", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == _page()


def test_page_says_which_indicators_need_a_table() -> None:
    """Optional inputs are stated per table: long-stay DBCs only for 2024-13, JGZ contacts
    only for the JGZ indicators, the programme tables for none."""
    text = _page()

    def section(name: str) -> str:
        start = text.index(f"### `{name}`")
        return text[start : text.index("\n### ", start + 1)]

    assert "* Needed by: 2024-13\n" in section("hospital_care_products")
    jgz = section("jgz_contacts")
    assert "* Required: no (optional)" in jgz
    assert "* Needed by: 2019-13, 2019-14\n" in jgz
    assert "* Needed by: every indicator" in section("persons")
    assert "* Needed by: no indicator" in section("nu_niet_zwanger")
    assert "(they are computed without it)" in section("education")
