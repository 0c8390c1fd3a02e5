"""The declared structure of the programme indicators' results table (for the publication gate).

Each figure (``indicator_id``) of each edition is a measure; its numerator and denominator
are named quantities, and equal names count the same municipalities or organisations at the
same coordinate (period, region, breakdown value):

* indicators 1 and 2: the headline and its responding variant share their numerator (the
  positive answers); the headline and the unknowns share the Impuls municipalities, and the
  two indicators share them too (one set of Impuls municipalities per year). In the answer
  distributions, the "of Impuls" and "of responding" rows share the count of each answer.
* the other indicators count their own registry populations; indicator 5's municipalities are
  the VoorZorg registry's, not necessarily indicator 3's (they are different facts).

Relations that hold by construction are declared: responding plus unknown make up the Impuls
municipalities (partition); the positive answers are among the responding ones, the
municipalities that joined Nu Niet Zwanger among the active ones, and the non-centre
municipalities among all (subsets).

No hierarchy is declared, because no cells of the table add up along one: there is one
region (NL), periods are single years, and no figure has both a total row and breakdown rows
(an answer distribution is its own figure, whose rows add up to their shared denominator,
which is a cell of another figure at another coordinate and cannot be stated here). The
numbers are counts of organisations, published as they are (`ORGANISATIONS`); the structure
still lets the gate check the table against what the definitions say.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pyarrow as pa

from kansrijk.programme.catalogue import PROGRAMME_INDICATORS
from kansrijk.programme.model import ProgrammeIndicator
from kansrijk.publication import CELL_KEYS, Partition, Subset, TableStructure

MEASURE_KEYS: Final = ("indicator_id", "edition")
#: The Impuls municipalities of a year (the same set for indicators 1 and 2).
IMPULS: Final = "Impuls municipalities"
#: The same, as the denominator of every row of an answer distribution.
IMPULS_ALL_ANSWERS: Final = "Impuls municipalities (all answers)"
NNZ_JOINED: Final = "NNZ: other municipalities that joined"
NNZ_ACTIVE: Final = "NNZ: municipalities where the programme is active"
NNZ_OTHERS: Final = "NNZ: other municipalities"
NNZ_ALL: Final = "NNZ: municipalities of the year"


def _positive(prefix: str) -> str:
    return f"{prefix}: positive answer"


def _responding(prefix: str) -> str:
    return f"{prefix}: responding"


def _unknown(prefix: str) -> str:
    return f"{prefix}: no answer"


def _survey(prefix: str) -> dict[str, tuple[str, str]]:
    answer = f"{prefix}: giving the answer"
    return {
        prefix: (_positive(prefix), IMPULS),
        f"{prefix}r": (_positive(prefix), _responding(prefix)),
        f"{prefix}u": (_unknown(prefix), IMPULS),
        f"{prefix}s": (answer, IMPULS_ALL_ANSWERS),
        f"{prefix}rs": (answer, f"{prefix}: responding (all answers)"),
    }


SURVEYS: Final = ("2019-01", "2019-02")
#: Figure id -> (numerator quantity, denominator quantity).
QUANTITIES: Final[dict[str, tuple[str, str]]] = {
    **_survey("2019-01"),
    **_survey("2019-02"),
    "2019-03": ("NNZ: centre municipalities where it started", "NNZ: centre municipalities"),
    "2019-03j": (NNZ_JOINED, NNZ_OTHERS),
    "2019-03a": (NNZ_ACTIVE, NNZ_ALL),
    "2019-04": ("PHB-JGZ: municipalities answering yes", "PHB-JGZ: municipalities answering"),
    "2019-05": ("VoorZorg: municipalities where it is offered", "VoorZorg: municipalities"),
    "2019-06": ("midwifery practices trained in Centering", "midwifery practices"),
    "2019-09": ("JGZ organisations offering CenteringOuderschap", "JGZ organisations"),
}


def programme_structure(
    definitions: Sequence[ProgrammeIndicator] = PROGRAMME_INDICATORS,
) -> TableStructure:
    """The structure of the programme table for ``definitions`` over all their editions."""
    measures: list[tuple[str, int, str, str]] = []
    for d in definitions:
        for f in d.figures:
            if f.id not in QUANTITIES:
                raise KeyError(f"{f.id}: no quantities declared for this figure")
            num, den = QUANTITIES[f.id]
            measures += [(f.id, edition, num, den) for edition in d.editions]
    ids = {d.id for d in definitions}
    surveys = [p for p in SURVEYS if p in ids]
    return TableStructure(
        keys=CELL_KEYS,
        measure_keys=MEASURE_KEYS,
        measures=pa.table(
            {
                "indicator_id": pa.array([m[0] for m in measures], pa.string()),
                "edition": pa.array([m[1] for m in measures], pa.int32()),
                "numerator": pa.array([m[2] for m in measures], pa.string()),
                "denominator": pa.array([m[3] for m in measures], pa.string()),
            }
        ),
        partitions=tuple(Partition((_responding(p), _unknown(p)), IMPULS) for p in surveys),
        subsets=(
            *(Subset(_positive(p), _responding(p)) for p in surveys),
            *(
                (Subset(NNZ_JOINED, NNZ_ACTIVE), Subset(NNZ_OTHERS, NNZ_ALL))
                if "2019-03" in ids
                else ()
            ),
        ),
    )
