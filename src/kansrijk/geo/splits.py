"""Municipalities split over several successors, with the postcode (PC4) rule for each part.

The table `data/municipality_splits_pc4.csv` is ours. Littenseradiel (2018) and Winsum (2019)
use the PC4 lists of RIVM's DIAPER code. Haaren (2021) follows the villages instead of RIVM's
list, which does not match the geography: Haaren 5076 -> Oisterwijk, Biezenmortel 5074 ->
Tilburg, Esch 5296 -> Boxtel, Helvoirt 5268 -> Vught. A row with an empty postcode names the
default successor, used when the postcode is unknown or not listed: the successor CBS books the
municipality to (Súdwest-Fryslân, Het Hogeland), and for Haaren, which CBS does not book whole,
Oisterwijk (village Haaren, the largest part).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from kansrijk.geo._data import SPLITS_FILE, read_rows


@dataclass(frozen=True)
class Split:
    """On `effective_date` `old_code` was divided; `by_postcode` maps a PC4 to its successor."""

    effective_date: date
    old_code: str
    default: str
    by_postcode: Mapping[int, str]

    @property
    def successors(self) -> tuple[str, ...]:
        """All successors, the default first."""
        rest = sorted(set(self.by_postcode.values()) - {self.default})
        return (self.default, *rest)

    def successor(self, postcode4: int | None) -> str:
        """The successor for a residence with this PC4 (default when unknown or not listed)."""
        if postcode4 is None:
            return self.default
        return self.by_postcode.get(postcode4, self.default)

    def postcodes_of(self, successor: str) -> tuple[int, ...]:
        """The listed PC4s that go to `successor`, sorted."""
        return tuple(sorted(pc for pc, new in self.by_postcode.items() if new == successor))


@cache
def splits() -> tuple[Split, ...]:
    """Return the split municipalities, sorted by date and code."""
    defaults: dict[tuple[date, str], str] = {}
    listed: dict[tuple[date, str], dict[int, str]] = defaultdict(dict)
    for row in read_rows(SPLITS_FILE):
        key = (date.fromisoformat(row["effective_date"]), row["old_code"])
        if row["postcode4"]:
            postcode = int(row["postcode4"])
            if postcode in listed[key]:
                raise ValueError(f"postcode {postcode} listed twice for {key}")
            listed[key][postcode] = row["new_code"]
        else:
            defaults[key] = row["new_code"]
    if set(defaults) != set(listed):
        raise ValueError("every split needs postcode rows and exactly one default row")
    return tuple(
        Split(day, old, defaults[(day, old)], dict(listed[(day, old)]))
        for day, old in sorted(defaults)
    )


@cache
def split_for(old_code: str, effective_date: date) -> Split | None:
    """The split of `old_code` on `effective_date`, if it was split then."""
    for split in splits():
        if split.old_code == old_code and split.effective_date == effective_date:
            return split
    return None
