"""`python -m kansrijk.cli` runs the command line (used by benchmarks and tests)."""

from kansrijk.cli.main import app

app()
