"""Apply one small, declarative change to a CSV dataset (used by the broken-file corpus)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def apply_patch(dataset: Path, patch: dict[str, Any]) -> None:
    """Apply ``patch`` (see tests/data/broken/cases.json for the operations) in place."""
    path = dataset / patch["file"]
    op = patch["op"]
    if op == "remove":
        path.unlink()
    elif op == "write":
        data = bytes.fromhex(patch["hex"]) if "hex" in patch else patch["text"].encode()
        path.write_bytes(data)
    elif op == "append_line":
        text = path.read_text(encoding="utf-8")
        path.write_text(text + patch["text"] + "\n", encoding="utf-8")
    elif op == "set":
        rows = _read(path)
        rows[patch["row"]][rows[0].index(patch["column"])] = patch["value"]
        _write(path, rows)
    elif op == "append_copy":
        rows = _read(path)
        new = list(rows[patch["row"]])
        for column, value in patch["changes"].items():
            new[rows[0].index(column)] = value
        _write(path, [*rows, new])
    elif op == "drop_column":
        rows = _read(path)
        idx = rows[0].index(patch["column"])
        _write(path, [r[:idx] + r[idx + 1 :] for r in rows])
    else:
        raise ValueError(f"unknown patch op {op!r}")
