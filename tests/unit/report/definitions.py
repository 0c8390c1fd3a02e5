"""The indicator definitions the Dutch report texts must cover (shared by their tests)."""

from __future__ import annotations

from kansrijk.indicators import Indicator, catalogue


def in_force() -> list[Indicator]:
    """Every definition in force in an edition 2019-2025 (editions without indicators skipped)."""
    found: list[Indicator] = []
    for edition in range(2019, 2026):
        try:
            found.extend(catalogue(edition))
        except (ValueError, KeyError):
            continue
    assert found
    return found
