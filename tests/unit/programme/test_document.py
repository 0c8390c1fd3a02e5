"""docs/programme-indicators.md is generated from the definitions and kept current."""

from __future__ import annotations

from pathlib import Path

from kansrijk.programme import PROGRAMME_INDICATORS
from kansrijk.programme.document import render_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "programme-indicators.md"


def test_every_indicator_and_figure_is_documented() -> None:
    text = render_markdown()
    for ind in PROGRAMME_INDICATORS:
        assert f"`{ind.id}`" in text
        for fig in ind.figures:
            assert f"`{fig.id}`" in text


def test_generated_document_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/programme-indicators.md is stale: run `make docs`"
    )
