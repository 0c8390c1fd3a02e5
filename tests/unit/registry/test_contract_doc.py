"""docs/data-contract.md is generated from the contract and must be current."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.registry.contract import TABLES
from kansrijk.registry.contract_doc import render_contract_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "data-contract.md"


def test_committed_contract_page_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_contract_markdown(), (
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
    assert out.read_text(encoding="utf-8") == render_contract_markdown()
