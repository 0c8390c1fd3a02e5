"""Disclosure control: primary and secondary suppression, and the one path to publication.

Nothing leaves the monitor except through `publish`, which refuses any table that
`check_publishable` rejects. Imports nothing from the rest of kansrijk.
"""

from kansrijk.disclosure.apply import apply_disclosure
from kansrijk.disclosure.check import check_publishable
from kansrijk.disclosure.errors import DisclosureError
from kansrijk.disclosure.groups import AdditiveGroups, GroupKind, additive_groups
from kansrijk.disclosure.policy import ORGANISATIONS, THRESHOLD, DisclosurePolicy
from kansrijk.disclosure.publish import (
    publish,
    publish_derived,
    publish_files,
    write_files_atomically,
)
from kansrijk.disclosure.schema import (
    CELL_KEYS,
    HIERARCHY_SCHEMA,
    RESULT_COLUMNS,
    RESULTS_SCHEMA,
)

__all__ = [
    "CELL_KEYS",
    "HIERARCHY_SCHEMA",
    "ORGANISATIONS",
    "RESULTS_SCHEMA",
    "RESULT_COLUMNS",
    "THRESHOLD",
    "AdditiveGroups",
    "DisclosureError",
    "DisclosurePolicy",
    "GroupKind",
    "additive_groups",
    "apply_disclosure",
    "check_publishable",
    "publish",
    "publish_derived",
    "publish_files",
    "write_files_atomically",
]
