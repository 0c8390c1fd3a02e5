"""The postcode split table we wrote, checked against the merger list."""

from __future__ import annotations

from datetime import date

from kansrijk.geo._data import MERGERS_FILE, read_rows
from kansrijk.geo.splits import split_for, splits


def test_defaults_and_successors() -> None:
    found = {s.old_code: s for s in splits()}
    assert set(found) == {"GM0140", "GM0053", "GM0788"}
    assert found["GM0140"].default == "GM1900"
    assert found["GM0053"].default == "GM1966"
    assert found["GM0788"].default == "GM0824"
    assert found["GM0788"].successors == ("GM0824", "GM0757", "GM0855", "GM0865")
    assert found["GM0140"].effective_date == date(2018, 1, 1)
    assert split_for("GM0053", date(2019, 1, 1)) is found["GM0053"]
    assert split_for("GM0053", date(2018, 1, 1)) is None


def test_postcode_lists() -> None:
    found = {s.old_code: s for s in splits()}
    assert len(found["GM0140"].by_postcode) == 13 + 4 + 9
    assert found["GM0140"].postcodes_of("GM0080") == (
        8832,
        8834,
        8835,
        9022,
        9023,
        9024,
        9025,
        9026,
        9027,
    )
    assert found["GM0053"].postcodes_of("GM1969") == (9891, 9892, 9893)
    assert found["GM0788"].successor(5074) == "GM0855"
    assert found["GM0788"].successor(None) == "GM0824"


def test_merger_list_successors_are_covered() -> None:
    """Every successor the merger list names for a split municipality is in our table."""
    for split in splits():
        listed = {
            r["new_statcode"]
            for r in read_rows(MERGERS_FILE)
            if r["old_statcode"] == split.old_code
            and date.fromisoformat(r["effective_date"]) == split.effective_date
        }
        assert listed <= set(split.successors)
    # Tilburg received Biezenmortel but the merger list does not name it.
    assert "GM0855" not in {r["new_statcode"] for r in read_rows(MERGERS_FILE)}
