"""What validation found: issues with example rows, and their text and JSON renderings.

Row numbers are 1-based data rows within the named file: for CSV the Nth record after
the header line, for Parquet the Nth row of that part file. Values of identifier columns
that look like a BSN or RIN number (8 or 9 digits) are masked to their last two digits,
so a report can be shared without leaking who is in the extract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import groupby
from typing import Literal

from kansrijk.registry.contract import ID_PATTERN, TABLES_BY_NAME

Severity = Literal["error", "warning"]

_BSN_LIKE = re.compile(r"^\s*[0-9]{8,9}\s*$")
_MAX_VALUE_CHARS = 80


def is_identifier_column(table: str, column: str | None) -> bool:
    """True for contract columns holding (pseudonymised) identifiers."""
    t = TABLES_BY_NAME.get(table)
    if t is None or column is None:
        return False
    return any(c.name == column and c.pattern == ID_PATTERN for c in t.columns)


def mask_bsn(value: str) -> str:
    """``value`` with all but its last two characters masked when it looks like a BSN."""
    if _BSN_LIKE.match(value):
        digits = value.strip()
        return "*" * (len(digits) - 2) + digits[-2:]
    return value


def display_value(table: str, column: str | None, value: object) -> str | None:
    """A value as it may appear in a report: truncated, BSN-like identifiers masked."""
    if value is None:
        return None
    text = str(value)
    if is_identifier_column(table, column) or column is None:
        text = mask_bsn(text)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


@dataclass(frozen=True)
class Issue:
    """One finding, usually one example row of a failed check.

    ``total`` is the number of offending rows (or keys) of the check this issue is an
    example of; a report shows at most ``max_examples`` issues per check.
    """

    severity: Severity
    file: str
    table: str
    check: str
    column: str | None
    row: int | None
    value: str | None
    message: str
    total: int = 1

    def location(self) -> str:
        """'births.csv row 12, column x' style prefix."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        text = " ".join(parts)
        if self.column is not None:
            text += f", column {self.column}"
        return text


@dataclass(frozen=True)
class ValidationReport:
    """All issues of one validation run, in the order they were found."""

    data_dir: str
    issues: tuple[Issue, ...]
    tables_checked: tuple[str, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """One line: verdict and counts of failed checks."""
        err = len({_check_key(i) for i in self.errors})
        warn = len({_check_key(i) for i in self.warnings})
        verdict = "OK" if self.ok else "FAILED"
        return (
            f"{verdict}: {err} failed check(s) with errors, {warn} with warnings "
            f"in {len(self.tables_checked)} table(s) of {self.data_dir}"
        )

    def to_text(self) -> str:
        """Human-readable report grouped per file, with counts per check."""
        lines = [
            f"Validation of {self.data_dir} against data contract",
            "(row N = the Nth data row of the file, not counting the CSV header line)",
        ]
        by_file = sorted(self.issues, key=lambda i: i.file)
        for file, file_issues in groupby(by_file, key=lambda i: i.file):
            lines.append("")
            lines.append(f"{file}:")
            for key, group in groupby(file_issues, key=_check_key):
                examples = list(group)
                first = examples[0]
                sev = first.severity.upper()
                if first.total > len(examples) or first.total > 1:
                    col = f" column {key[2]}" if key[2] else ""
                    lines.append(
                        f"  {sev} {key[1]}{col}: {first.total} row(s) in total, "
                        f"{len(examples)} shown"
                    )
                for issue in examples:
                    lines.append(f"  {sev} {issue.location()}: {issue.message}")
        lines.append("")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_json(self) -> str:
        """Machine-readable report."""
        payload = {
            "data_dir": self.data_dir,
            "ok": self.ok,
            "row_numbering": "1-based data row within the file (CSV header not counted)",
            "tables_checked": list(self.tables_checked),
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "issues": [asdict(i) for i in self.issues],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)


def _check_key(issue: Issue) -> tuple[str, str, str]:
    return (issue.file, issue.check, issue.column or "")


def merge(*parts: Sequence[Issue]) -> tuple[Issue, ...]:
    """Concatenate issue lists."""
    return tuple(i for part in parts for i in part)
