"""Read the reference tables shipped in `kansrijk/reference/data` (once per process)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files

SEXES = {"M": "male", "F": "female"}  # API code -> value in the data files


@cache
def read_rows(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of a shipped CSV as dicts."""
    text = (files("kansrijk.reference") / "data" / name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))
