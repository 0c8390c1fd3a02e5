"""`kansrijk programme`: the programme indicators' documentation."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Programme indicators 1-6 and 9: document them.", no_args_is_help=True)


@app.command("docs")
def docs(
    out: Path = typer.Option(
        Path("docs/programme-indicators.md"), help="Where to write ('-': stdout)."
    ),
) -> None:
    """Write the programme indicators as Markdown (docs/programme-indicators.md)."""
    from kansrijk.programme.document import render_markdown

    text = render_markdown()
    if str(out) == "-":
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {out}")
