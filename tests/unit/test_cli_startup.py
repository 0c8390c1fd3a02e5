"""`kansrijk --help` starts fast (issue 18): the command tree imports no data library.

Typer needs every command's signature to print help, so the CLI modules are imported; the
heavy libraries (pyarrow, DuckDB, NumPy, SciPy, Django) are imported inside the commands.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pyarrow", "duckdb", "numpy", "scipy", "pandas", "django", "ibis", "sklearn")


def test_cli_import_pulls_in_no_data_library() -> None:
    code = (
        "import sys, kansrijk.cli.main\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_help_lists_the_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kansrijk.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for command in ("synth", "registry", "monitor", "report", "vulnerability", "serve"):
        assert command in done.stdout
