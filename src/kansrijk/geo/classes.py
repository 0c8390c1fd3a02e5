"""Urbanisation and size classes of municipalities, and the group of similar municipalities.

The local monitor compares a municipality with its province, the Netherlands and a group of
municipalities like it. "Like it" follows CBS's two standard classifications:

* **Urbanisation class** (stedelijkheid, 1-5) from the address density
  (omgevingsadressendichtheid, addresses per km2 within a radius of 1 km): 1 very strongly
  urban (>= 2,500), 2 strongly urban (1,500-2,500), 3 moderately urban (1,000-1,500),
  4 hardly urban (500-1,000), 5 not urban (< 500). A value on a boundary belongs to the more
  urban class, as in CBS's definition (1,500 is class 2).
* **Size class** (gemeentegrootteklasse, grouped into five) from the number of inhabitants:
  1 < 20,000; 2 20,000-50,000; 3 50,000-100,000; 4 100,000-250,000; 5 >= 250,000. A value on a
  boundary belongs to the larger class (50,000 is class 3).

Both come from CBS "Kerncijfers wijken en buurten" of the classification year (AantalInwoners,
Omgevingsadressendichtheid), delivered as the optional input table ``municipality_classes``.
Their names in the reports are in the report vocabulary (`kansrijk.report.labels`).

`comparison_group` finds the other municipalities with the same urbanisation and size class.
When there are fewer than `MIN_GROUP` of them, the group widens step by step, and the same
input always gives the same group: first to the adjacent size class(es), then to the adjacent
urbanisation class(es), then two size classes away, two urbanisation classes away, and so on
(`WIDENING`), stopping at the first step with at least `MIN_GROUP` members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

#: Lower bounds (addresses per km2) of urbanisation classes 1-4; below the last: class 5.
URBANISATION_BOUNDS: Final = (2500.0, 1500.0, 1000.0, 500.0)
#: Lower bounds (inhabitants) of size classes 2-5; below the first: class 1.
SIZE_BOUNDS: Final = (20_000, 50_000, 100_000, 250_000)
CLASSES: Final = (1, 2, 3, 4, 5)
#: The smallest group of similar municipalities before it is widened.
MIN_GROUP: Final = 5
#: The widening steps: (urbanisation distance, size distance) allowed, in order.
WIDENING: Final = ((0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (3, 4), (4, 4))


@dataclass(frozen=True, slots=True)
class MunicipalityClass:
    """A municipality's urbanisation class and size class (both 1-5)."""

    code: str
    urbanisation: int
    size: int


@dataclass(frozen=True)
class ComparisonGroup:
    """The similar municipalities of ``code``: the classes they were taken from (ranges, wider
    than the municipality's own classes when the group had to be widened) and the members
    (codes, sorted; never ``code`` itself)."""

    code: str
    urbanisation: int
    size: int
    urbanisation_range: tuple[int, int]
    size_range: tuple[int, int]
    members: tuple[str, ...]

    @property
    def widened(self) -> bool:
        return (
            self.urbanisation_range != (self.urbanisation,) * 2
            or self.size_range != (self.size,) * 2
        )


def urbanisation_class(address_density: float) -> int:
    """CBS urbanisation class 1-5 of an address density (addresses per km2)."""
    if address_density < 0:
        raise ValueError(f"address density must not be negative, got {address_density}")
    for cls, bound in enumerate(URBANISATION_BOUNDS, start=1):
        if address_density >= bound:
            return cls
    return 5


def size_class(inhabitants: int) -> int:
    """Size class 1-5 of a number of inhabitants (CBS size classes, grouped)."""
    if inhabitants < 0:
        raise ValueError(f"inhabitants must not be negative, got {inhabitants}")
    return 1 + sum(inhabitants >= bound for bound in SIZE_BOUNDS)


def classify(code: str, inhabitants: int, address_density: float) -> MunicipalityClass:
    return MunicipalityClass(code, urbanisation_class(address_density), size_class(inhabitants))


def _within(value: int, centre: int, distance: int) -> bool:
    return abs(value - centre) <= distance


def _range(centre: int, distance: int) -> tuple[int, int]:
    return (max(CLASSES[0], centre - distance), min(CLASSES[-1], centre + distance))


def group(
    code: str, classes: Mapping[str, MunicipalityClass], minimum: int = MIN_GROUP
) -> ComparisonGroup:
    """The group of municipalities similar to ``code`` with the classes it was drawn from
    (KeyError when ``code`` has no class). See the module docstring for the widening."""
    own = classes[code]
    others = [c for c in classes.values() if c.code != code]
    members: tuple[str, ...] = ()
    du = ds = 0
    for du, ds in WIDENING:
        members = tuple(
            sorted(
                c.code
                for c in others
                if _within(c.urbanisation, own.urbanisation, du) and _within(c.size, own.size, ds)
            )
        )
        if len(members) >= minimum:
            break
    return ComparisonGroup(
        code=code,
        urbanisation=own.urbanisation,
        size=own.size,
        urbanisation_range=_range(own.urbanisation, du),
        size_range=_range(own.size, ds),
        members=members,
    )


def comparison_group(
    code: str, classes: Mapping[str, MunicipalityClass], minimum: int = MIN_GROUP
) -> tuple[str, ...]:
    """The codes of the municipalities similar to ``code`` (same urbanisation and size class,
    widened while fewer than ``minimum``), sorted; ``code`` itself is never among them."""
    return group(code, classes, minimum).members
