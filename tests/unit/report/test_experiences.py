"""The "Ervaringen met Kansrijke Start" section: quotes read through the gate's reader of texts,
grouped per theme, attributed by role only, experts by experience apart; in a local report only
the quotes of the municipality's coalition; every quote checked again on render."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from kansrijk.cli.main import app
from kansrijk.engine.structure import results_structure
from kansrijk.publication import DisclosurePolicy, TextsError, protect, publish, publish_texts
from kansrijk.report.build import local_html, national_html
from kansrijk.report.experiences import BASENAME, COLUMNS, Quote, read, section

from .english import visible_text
from .fixtures import MANIFEST, kraamzorg_rows, published, results_table

runner = CliRunner()

ROWS: list[dict[str, str]] = [
    {
        "round": "Monitor 2021",
        "theme": "Samenwerking",
        "stakeholder_type": "project_leader",
        "role_label": "Projectleider Lokale Coalitie",
        "text": "Sinds het coalitieoverleg weten we elkaar sneller te vinden.",
        "coalition": "7",
        "municipalities": "GM0363,GM0362",
    },
    {
        "round": "Monitor 2021",
        "theme": "Bekostiging & financiering",
        "stakeholder_type": "national_organisation",
        "role_label": "Landelijke organisatie",
        "text": "Na de impulsgelden is onduidelijk wie de coördinatie betaalt.",
        "coalition": "",
        "municipalities": "",
    },
    {
        "round": "Monitor 2021",
        "theme": "Betrokkenheid (aanstaande) ouders",
        "stakeholder_type": "expert_by_experience",
        "role_label": "Ervaringsdeskundige",
        "text": "Ze vroegen eindelijk wat wij als moeders nodig hadden.",
        "coalition": "7",
        "municipalities": "GM0363,GM0362",
    },
    {
        "round": "Monitor 2021",
        "theme": "Samenwerking",
        "stakeholder_type": "care_provider",
        "role_label": "Zorgverlener",
        "text": "De kraamzorg belt nu direct met de wijkverpleging.",
        "coalition": "9",
        "municipalities": "GM0358",
    },
]


def _publish(directory: Path, rows: list[dict[str, str]] = ROWS) -> Path:
    table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in COLUMNS})
    publish_texts(table, directory, manifest={"rounds": ["Monitor 2021"]}, basename=BASENAME)
    return directory


def _quotes(tmp_path: Path) -> list[Quote]:
    quotes, published_at = read(_publish(tmp_path / "experiences"))
    assert published_at
    return quotes


def never(text: str) -> bool:
    return False


def test_read_back_as_published(tmp_path: Path) -> None:
    quotes = _quotes(tmp_path)
    assert [q.role_label for q in quotes] == [r["role_label"] for r in ROWS]
    assert quotes[0].municipalities == ("GM0363", "GM0362")
    assert quotes[1].municipalities == () and quotes[1].coalition == ""


def test_a_table_without_the_columns_is_refused(tmp_path: Path) -> None:
    publish_texts(pa.table({"text": ["x"]}), tmp_path, manifest={}, basename=BASENAME)
    with pytest.raises(TextsError, match="lack the column"):
        read(tmp_path)


def test_grouped_by_theme_experts_apart(tmp_path: Path) -> None:
    found = section(_quotes(tmp_path), never)
    assert [g.theme for g in found.professionals] == ["Samenwerking", "Bekostiging & financiering"]
    assert [role for role, _ in found.professionals[0].quotes] == [
        "Projectleider Lokale Coalitie",
        "Zorgverlener",
    ]
    assert [g.theme for g in found.experts_by_experience] == ["Betrokkenheid (aanstaande) ouders"]
    assert found.rounds == ("Monitor 2021",) and found.dropped == 0


def test_local_only_the_coalitions_quotes(tmp_path: Path) -> None:
    found = section(_quotes(tmp_path), never, municipality="GM0362")
    texts = [
        q.text for g in (*found.professionals, *found.experts_by_experience) for _, q in g.quotes
    ]
    assert texts == [ROWS[0]["text"], ROWS[2]["text"]]
    assert section(_quotes(tmp_path), never, municipality="GM0014").empty


def test_a_quote_the_check_flags_is_left_out_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "kansrijk.report.experiences"):
        found = section(_quotes(tmp_path), lambda text: "kraamzorg" in text)
    assert found.dropped == 1
    assert all("kraamzorg" not in q.text for g in found.professionals for _, q in g.quotes)
    assert "left a quote out" in caplog.text and "kraamzorg" not in caplog.text


def test_the_national_factsheet_shows_the_section(tmp_path: Path) -> None:
    quotes = _quotes(tmp_path)
    html = national_html(published(), "nl", experiences=section(quotes, never))
    part = html[html.index('id="experiences"') : html.index('id="ind-2019-10"')]
    text = visible_text(part)
    assert "Ervaringen met Kansrijke Start" in text
    assert '<a href="#experiences">' in html  # in the contents
    assert part.index('data-group="professionals"') < part.index('data-group="experts"')
    for row in ROWS:
        assert row["text"] in text
    assert "— " not in text  # the dash is the style sheet's, not the text's
    assert re.search(r"<figcaption>Projectleider Lokale Coalitie</figcaption>", part)
    # role only: no coalition, municipality or round code beside a quote
    assert "GM0363" not in part and "data-coalition" not in part


def test_in_english_the_quotes_stay_dutch(tmp_path: Path) -> None:
    html = national_html(published(), "en", experiences=section(_quotes(tmp_path), never, "en"))
    part = html[html.index('id="experiences"') : html.index('id="ind-2019-10"')]
    assert "Experiences with Solid Start" in part
    assert "Collaboration" in part and "Local coalition project leader" in part
    assert '<blockquote lang="nl"><p>Sinds het coalitieoverleg' in part


def test_without_quotes_no_section() -> None:
    assert 'id="experiences"' not in national_html(published(), "nl")
    assert 'id="experiences"' not in local_html(published(), "GM0363", "nl")


def test_the_local_report_shows_its_coalition_only(tmp_path: Path) -> None:
    quotes = _quotes(tmp_path)
    html = local_html(
        published(), "GM0358", "nl", experiences=section(quotes, never, municipality="GM0358")
    )
    part = visible_text(html[html.index('id="experiences"') :])
    assert ROWS[3]["text"] in part
    assert ROWS[0]["text"] not in part and ROWS[1]["text"] not in part
    html = local_html(
        published(), "GM0363", "nl", experiences=section(quotes[3:], never, municipality="GM0363")
    )
    assert "Er zijn geen gepubliceerde citaten uit gesprekken met de coalitie van Amsterdam" in (
        visible_text(html)
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("run")
    cells = results_table(kraamzorg_rows())
    structure = results_structure(cells, classification_year=2023, related=False)
    publish(
        protect(cells, structure, DisclosurePolicy(threshold=10)),
        root / "monitor",
        manifest=MANIFEST,
        formats=("parquet",),
    )
    return root / "monitor"


def test_the_commands_check_every_quote_again(run: Path, tmp_path: Path) -> None:
    """Through ``kansrijk report national|local --experiences``: the experiences app's
    detector runs on every quote; one naming a place is left out, with a warning."""
    rows = [*ROWS, {**ROWS[0], "text": "In Amsterdam loopt het goed."}]
    quotes = _publish(tmp_path / "experiences", rows)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "report",
            "national",
            "-r",
            str(run),
            "-o",
            str(out),
            "--formats",
            "html",
            "--experiences",
            str(quotes),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "left 1 quote(s) out" in result.output
    html = (out / "factsheet-nl.html").read_text("utf-8")
    assert ROWS[0]["text"] in html and "In Amsterdam loopt" not in html
    result = runner.invoke(
        app,
        [
            "report",
            "local",
            "-m",
            "GM0358",
            "-r",
            str(run),
            "-o",
            str(out),
            "--formats",
            "html",
            "--no-platform",
            "--experiences",
            str(quotes),
        ],
    )
    assert result.exit_code == 0, result.output
    html = (out / "GM0358-nl.html").read_text("utf-8")
    assert ROWS[3]["text"] in html and ROWS[0]["text"] not in html


def test_the_command_refuses_a_changed_publication(run: Path, tmp_path: Path) -> None:
    quotes = _publish(tmp_path / "experiences")
    (quotes / "quotes.parquet").write_bytes((quotes / "quotes.parquet").read_bytes() + b"x")
    result = runner.invoke(
        app,
        [
            "report",
            "national",
            "-r",
            str(run),
            "-o",
            str(tmp_path / "out"),
            "--formats",
            "html",
            "--experiences",
            str(quotes),
        ],
    )
    assert result.exit_code == 2 and "changed since it was published" in result.output
