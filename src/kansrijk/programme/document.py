"""Render the programme indicators as Markdown (`docs/programme-indicators.md` is generated)."""

# ruff: noqa: E501  (the published-figures table is one Markdown row per line)

from __future__ import annotations

from kansrijk.programme.catalogue import PROGRAMME_INDICATORS

INTRO = """# Programme indicators (1-6 and 9 of the 2019 set)

Generated from `kansrijk.programme` by `kansrijk programme docs`; do not edit by hand (a test
fails when this file is stale).

These indicators count municipalities and organisations, not persons. They come from the
yearly municipal questionnaire (1, 2, 4) and from the registries of national organisations
(3, 5, 6, 9), which the coalition platform keeps (`kansrijk.web.survey`,
`kansrijk.web.coalitions`). `kansrijk.programme` computes them from plain facts per year and
publishes them through `kansrijk.publication.publish`, the same path as the registry
indicators, with the named policy `ORGANISATIONS`: the person threshold of 10 does not apply
to counts of municipalities or organisations (RIVM publishes, for example, 8 of 36), but
every table still passes the same checks and atomic writer. Values are percentages with 95%
Wilson intervals; a year with an empty denominator gives no row.

Each published figure has its own indicator id in the results table: the headline
(`2019-01`), the same over responding municipalities (`...r`), the number of unknowns
(`...u`) and answer distributions (`...s`, `...rs`, with `breakdown = "status"`).

## Published figures the demo data reproduces

| indicator | 2019 | 2020 | 2021 |
|---|---|---|---|
| 1 coalition formed | 40 of 147 (27%; 29% of 140) | 59 (21%; 24% of 251) | 140 of 273 (51%; 65% of 217) |
| 2 plan of action | | 48% | 153 of 273 = 56% (72 + 81); 71% of 217 |
| 3 Nu Niet Zwanger | | | 38 of 50 centre municipalities; 138 joined |
| 4 PHB-JGZ | | 65% | 169 of 224 = 75% |
| 5 VoorZorg | 117 | 130 | 150 of 352 |
| 6 CenteringZwangerschap | 194 | 203 | 229 of 590 |
| 9 CenteringOuderschap | 8 of 36 | 8 of 36 | 9 of 36 |

Counts RIVM did not publish (for example the 2019 plan of action, or the number of midwifery
practices in 2019 and 2020) are chosen in `kansrijk.web.demo_plan` to agree with the published
percentages and are marked there as assumed. `tests/web/programme/test_published_figures.py`
checks the figures above.
"""


def render_markdown() -> str:
    parts = [INTRO]
    for ind in PROGRAMME_INDICATORS:
        parts.append(f"\n## {ind.number}. {ind.title_en} (`{ind.id}`, version {ind.version})\n")
        parts.append(f"*{ind.title_nl}*\n")
        parts.append("| | |\n|---|---|")
        rows = [
            ("Numerator", ind.numerator),
            ("Denominator", ind.denominator),
            ("Teller / noemer (RIVM)", f"{ind.numerator_nl} / {ind.denominator_nl}"),
            ("Counts", str(ind.subject)),
            ("Source", str(ind.source)),
            ("Reference date", str(ind.reference_date)),
            ("Editions", ", ".join(str(e) for e in ind.editions)),
            ("Direction", f"{ind.direction} is better"),
        ]
        parts.extend(f"| {k} | {v} |" for k, v in rows)
        parts.append("\nFigures:\n")
        for fig in ind.figures:
            extra = f"; categories: {', '.join(fig.categories)}" if fig.categories else ""
            parts.append(
                f"- `{fig.id}` ({fig.label_en}): {fig.numerator} / {fig.denominator.rstrip('.')}{extra}"
            )
        if ind.notes or ind.deviations:
            parts.append("\nChoices and notes:\n")
            parts.extend(f"- {note}" for note in (*ind.notes, *ind.deviations))
    return "\n".join(parts).rstrip() + "\n"
