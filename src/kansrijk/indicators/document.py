"""Render the catalogue as Markdown (`docs/indicators.md` is generated from this)."""

from __future__ import annotations

from kansrijk.indicators.catalogue import CATALOGUE
from kansrijk.indicators.model import BREAKDOWN_VALUES, BREAKDOWNS

INTRO = """# Indicators

Generated from `kansrijk.indicators` by `kansrijk monitor docs`; do not edit by hand (a test
fails when this file is stale).

Every indicator is a frozen, versioned definition. Its hash (in every results row and in the
run manifest) covers the definition, the compiled SQL of the query that computes its cells
(from the contract tables to the aggregation, compiled on an empty dataset, so independent of
the data) and the content of the reference tables it reads: any change to the definition, to a
rule of the engine or to reference data changes the hash. A run restricted to some breakdowns
(`monitor run --breakdowns`) keeps of each definition only those breakdowns: that is another
definition with another hash. Its query is compiled, like every definition's, from unit tables
that carry every breakdown's columns; the run itself joins only the attributes it reads, and
its cells equal the full run's.

## How figures are computed

- **Units.** Each definition names a *family*, the unit of analysis: pregnancies, children
  born, live births, mothers of live births, JGZ contacts or children under two (see the
  family descriptions in `src/kansrijk/indicators/catalogue.py`). A unit counts in the
  numerator when its outcome is 1 and in the denominator when the outcome is known.
- **Regions.** Units are placed by the definition's region rule (mother's address on 30 June,
  for the risk factors the father's when the mother is unknown, or the child's registration
  on 31 December), mapped to the municipalities of the chosen
  classification year through mergers and postcode splits (`kansrijk.geo`). Units without an
  address on the reference date count in the Netherlands and in the remainder `NL00`
  ("unknown municipality"), not in a province. Provinces and the Netherlands are computed
  from the units, never by adding published cells.
- **Breakdowns** are computed every year for the Netherlands only. Every breakdown's values
  are declared (table below; the engine stops on any other value) and add up to the total:
  where a value cannot be known there is an `unknown` value.
- **Pooling.** Definitions with pooling also get 5-year pooled figures: totals at every level
  for every window of five consecutive data years in the run, so small municipalities can be
  shown, and breakdowns for the run's latest window only: every breakdown for the
  Netherlands, the provinces and `NL00`, and for municipalities household income below P10,
  single parent and debts (those the definition has). For every breakdown value of that
  window the municipalities add up to their province, the provinces plus `NL00` to the
  Netherlands, and the Netherlands' yearly figures to its pooled figure. Yearly breakdowns of
  smaller regions and pooled breakdowns of every window would mostly be too small to publish,
  and windows that overlap could be subtracted from each other into single-year counts that
  are never published and so never protected by disclosure control.
- **Complete tables.** Every one of these cells is a row of the results table for every
  region of the classification year (all municipalities, `NL00`, every province, the
  Netherlands) and every declared breakdown value (`jgz_organisation`: the organisations in
  the data), also when no unit falls in it: numerator and denominator 0, no value or
  interval, hidden like any small cell. A missing row would reveal a count of zero. A
  definition without any unit in the run's years has no rows.
- **Uncertainty.** 95% Wilson intervals for percentages; exact (Garwood) Poisson intervals
  for rates per 1,000.
- **Disclosure control.** A cell whose numerator, complement (denominator - numerator) or
  denominator is below 10 is hidden with its value and interval; secondary suppression hides
  more cells so no hidden cell can be derived from published ones across breakdown values,
  municipalities within a province and pooled versus yearly figures (`kansrijk.publication`).
"""


def render_markdown() -> str:
    """The whole catalogue as Markdown."""
    lines = [
        INTRO,
        "## Breakdowns",
        "",
        "| name | Dutch | English | values |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{k}` | {nl} | {en} | {_values(BREAKDOWN_VALUES[k])} |"
        for k, (nl, en) in BREAKDOWNS.items()
    ]
    lines += [
        "",
        "## Catalogue",
        "",
        "| id | set no. | editions | title | unit | family |",
        "|---|---|---|---|---|---|",
    ]
    for d in CATALOGUE:
        lines.append(
            f"| [`{d.id}`](#{d.id}-v{d.version}) | {d.indicator_set} no. {d.number} | "
            f"{min(d.editions)}-{max(d.editions)} | {d.title_en} | {d.unit} | "
            f"{d.family} |"
        )
    for d in CATALOGUE:
        lines += ["", f"### {d.id} v{d.version}", "", f"**{d.title_nl}** / {d.title_en}", ""]
        rows = [
            ("Editions", ", ".join(map(str, d.editions))),
            ("Population", d.population),
            ("Numerator", d.numerator),
            ("Denominator", d.denominator),
            ("Unit", str(d.unit)),
            ("Time reference", d.time_reference),
            ("Region rule", str(d.region_rule)),
            ("Pooling", f"{d.pooling_years} years" if d.pooling_years else "none"),
            ("Breakdowns", ", ".join(f"`{b}`" for b in d.breakdowns)),
            ("Desired direction", f"{d.direction} is better"),
            ("Phase", str(d.phase)),
            ("Sources", ", ".join(f"`{s}`" for s in d.sources)),
            ("Family / outcome", f"`{d.family}` / `{d.outcome}`"),
        ]
        if d.parameters:
            rows.append(("Parameters", ", ".join(f"{k} = {v}" for k, v in d.parameters)))
        lines += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
        if d.deviations:
            lines += ["", "Choices where RIVM's code and its text differ:", ""]
            lines += [f"- {note}" for note in d.deviations]
    return "\n".join(lines) + "\n"


def _values(values: tuple[str, ...] | None) -> str:
    if values is None:
        return "the codes in the data"
    return ", ".join(f"`{v}`" for v in values)
