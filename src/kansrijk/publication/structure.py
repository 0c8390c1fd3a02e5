"""What a reader knows about a table before reading a number: its declared structure.

A table's structure is declared, not guessed from its values. It names:

* the **key columns** that identify a row, and among them the **measure keys** (e.g. indicator
  and edition) that say *what* a row counts; every other key (region, period, breakdown) says
  *where*: the row's coordinate;
* per measure, the **numerator and denominator quantities** it counts. Rows whose measures
  name the same quantity at the same coordinate count the same persons (the same indicator in
  two editions; the shared denominator of a distribution), so hiding one and publishing the
  other would publish the hidden number;
* **hierarchies**: key values that add up (municipalities and the unknown remainder to their
  province and NL; years to their pooled window; the values of a breakdown, unknown included,
  to the total);
* **partitions**: numerators that split one denominator (0/1/2/3+ risk factors);
* **subsets** and **unions**: one numerator counts part of another (preterm < 32 weeks within
  preterm), or counts those in any of several (Big2 = preterm or SGA).

Everything here is public knowledge (the definitions are published), so the attacker's audit
uses all of it, and so does secondary suppression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Hierarchy:
    """Cells whose ``columns`` hold a child's values add up to the cell holding the parent's.

    ``edges`` has a ``child_<column>`` and a ``parent_<column>`` column per column; every other
    key of the two cells (measure and the remaining coordinates) is equal. An optional
    ``relation`` column splits the children of one parent into separate relations (each
    breakdown's values add up to the total on their own). A parent forms a
    relation with the children present in the table; an absent child counts zero (the engine
    leaves out cells without units). Protection checks every relation on the true counts.
    """

    name: str
    columns: tuple[str, ...]
    edges: pa.Table
    #: The parents are windows of consecutive children: ``columns`` are a period's first and
    #: last value, a child is a single period (first = last), a parent the children from its
    #: first to its last. Overlapping (sliding) windows of one length then form chains whose
    #: published windows fix the differences of children a window length apart
    #: (`secondary` protects them as a whole).
    windows: bool = False

    def __post_init__(self) -> None:
        if self.windows and len(self.columns) != 2:
            raise ValueError(f"hierarchy {self.name}: windows need a first and a last column")
        expected = [f"{side}_{c}" for side in ("child", "parent") for c in self.columns]
        missing = sorted(set(expected) - set(self.edges.column_names))
        if missing:
            raise ValueError(f"hierarchy {self.name}: edges lack columns {missing}")


@dataclass(frozen=True)
class Partition:
    """At every coordinate, the numerators of ``parts`` add up to the denominator ``whole``."""

    parts: tuple[str, ...]
    whole: str


@dataclass(frozen=True)
class Subset:
    """At every coordinate, quantity ``part`` is at most quantity ``whole``."""

    part: str
    whole: str


@dataclass(frozen=True)
class Union:
    """At every coordinate, quantity ``union`` counts those in any of ``parts``.

    So it is at least each part and at most their sum.
    """

    union: str
    parts: tuple[str, ...]


#: Per row, what hiding it costs (higher: hidden only when nothing cheaper protects).
CostFunction = Callable[[pa.Table], FloatArray]


def unit_cost(table: pa.Table) -> FloatArray:
    """Every row costs the same: secondary suppression hides as few cells as it can."""
    return np.ones(table.num_rows, dtype=np.float64)


@dataclass(frozen=True)
class TableStructure:
    """The declared structure of one kind of table (see the module docstring).

    ``measures`` maps each measure (the ``measure_keys`` columns) to the names of its
    ``numerator`` and ``denominator`` quantities; a null name means the row has no such count
    (a plain count has no denominator). Quantity names are free text, equal names meaning the
    same persons counted.
    """

    keys: tuple[str, ...]
    measure_keys: tuple[str, ...]
    measures: pa.Table
    hierarchies: tuple[Hierarchy, ...] = ()
    partitions: tuple[Partition, ...] = ()
    subsets: tuple[Subset, ...] = ()
    unions: tuple[Union, ...] = ()
    cost: CostFunction = field(default=unit_cost, compare=False)
    #: The hierarchy whose leaves (values that are nobody's parent, e.g. municipalities) may
    #: trade their whole sub-table with a sibling: the attacker's audit uses such trades as
    #: cheap certificates of protection (`kansrijk.publication.collapse`).
    merge_over: str | None = None

    def __post_init__(self) -> None:
        missing = sorted(set(self.measure_keys) - set(self.keys))
        if missing:
            raise ValueError(f"measure keys {missing} are not key columns")
        needed = {*self.measure_keys, "numerator", "denominator"}
        absent = sorted(needed - set(self.measures.column_names))
        if absent:
            raise ValueError(f"measures table lacks columns {absent}")
        for h in self.hierarchies:
            outside = sorted(set(h.columns) - set(self.coordinates))
            if outside:
                raise ValueError(f"hierarchy {h.name} runs over non-coordinate keys {outside}")

    @property
    def coordinates(self) -> tuple[str, ...]:
        """The key columns that say where a row counts (all keys but the measure keys)."""
        return tuple(k for k in self.keys if k not in self.measure_keys)
