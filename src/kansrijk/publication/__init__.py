"""The publication gate: the one way anything leaves the monitor or the platform's statistics.

* `protect(cells, structure, policy) -> Protected`: hide what must be hidden (primary and
  secondary suppression) and prove, with the attacker's linear-programming audit, that no
  sensitive count can be narrowed below the protection level. Only `protect` makes a
  `Protected`.
* `publish(protected, out, ...) -> paths`: the only writer of published files (atomic, with a
  manifest of every output's SHA-256); the audit trail (and, on request, the unsuppressed
  table for output checking) goes to the internal directory beside it, which every part of
  the publication path refuses (`kansrijk.publication.internal`).
* `Publication.open(dir)`: the only reader; checks the files against the manifest and the
  table against the gate's rules. `Publication.write` writes what is built from it
  (reports, exports).
* `publish_texts(table, out, ...)` / `Texts.open(dir, basename)`: the writer and reader of a
  table of texts only (no counts: the approved quotes of the experiences study).

The table's structure is declared (`TableStructure`), not guessed from its values.
"""

from kansrijk.publication.errors import DisclosureError, StructureError
from kansrijk.publication.internal import (
    CELLS,
    INTERNAL_MANIFEST,
    internal_dir,
    is_internal_dir,
    is_internal_file,
)
from kansrijk.publication.policy import (
    HIDDEN_EN,
    HIDDEN_NL,
    ORGANISATIONS,
    THRESHOLD,
    DisclosurePolicy,
)
from kansrijk.publication.protect import Protected, protect
from kansrijk.publication.publish import FORMATS, MANIFEST, check_public, publish
from kansrijk.publication.published import (
    NL,
    Cell,
    FunnelPoint,
    Publication,
    Region,
    ResultsError,
    only_shown,
    period_text,
    policy_of,
    values_of,
)
from kansrijk.publication.schema import CELL_KEYS, NUMBER_COLUMNS, RESULTS_SCHEMA, TOTAL
from kansrijk.publication.structure import (
    Hierarchy,
    Partition,
    Subset,
    TableStructure,
    Union,
    unit_cost,
)
from kansrijk.publication.texts import Texts, TextsError, check_texts, publish_texts

__all__ = [
    "CELLS",
    "CELL_KEYS",
    "FORMATS",
    "HIDDEN_EN",
    "HIDDEN_NL",
    "INTERNAL_MANIFEST",
    "MANIFEST",
    "NL",
    "NUMBER_COLUMNS",
    "ORGANISATIONS",
    "RESULTS_SCHEMA",
    "THRESHOLD",
    "TOTAL",
    "Cell",
    "DisclosureError",
    "DisclosurePolicy",
    "FunnelPoint",
    "Hierarchy",
    "Partition",
    "Protected",
    "Publication",
    "Region",
    "ResultsError",
    "StructureError",
    "Subset",
    "TableStructure",
    "Texts",
    "TextsError",
    "Union",
    "check_public",
    "check_texts",
    "internal_dir",
    "is_internal_dir",
    "is_internal_file",
    "only_shown",
    "period_text",
    "policy_of",
    "protect",
    "publish",
    "publish_texts",
    "unit_cost",
    "values_of",
]
