"""Programme indicators 1-6 and 9 of the 2019 set: definitions, computation, publication.

Framework-free: plain facts per year in (`ProgrammeFacts`), a results table in
`kansrijk.publication.RESULTS_SCHEMA` out, protected by the publication gate with the table's
declared structure (`programme_structure`) and the named policy for organisation counts
(`ORGANISATIONS`), and published only through `kansrijk.publication.publish`. Never imports
Django or the web app; the coalition platform builds the facts from its database.
"""

from kansrijk.programme.catalogue import (
    PROGRAMME_INDICATORS,
    programme_indicator,
    programme_indicators,
)
from kansrijk.programme.compute import (
    IMPLEMENTATION,
    NL_CODE,
    Count,
    ProgrammeResults,
    compute_programme,
    counts,
)
from kansrijk.programme.facts import FACTS_READ, Answers, ProgrammeFacts
from kansrijk.programme.model import (
    STATUS,
    UNKNOWN,
    CoalitionStatus,
    Figure,
    PlanStatus,
    ProgrammeIndicator,
    ReferenceDate,
    Source,
    Subject,
)
from kansrijk.programme.publish import (
    BASENAME,
    MANIFEST,
    definitions_table,
    publish_programme,
)
from kansrijk.programme.structure import programme_structure

__all__ = [
    "BASENAME",
    "FACTS_READ",
    "IMPLEMENTATION",
    "MANIFEST",
    "NL_CODE",
    "PROGRAMME_INDICATORS",
    "STATUS",
    "UNKNOWN",
    "Answers",
    "CoalitionStatus",
    "Count",
    "Figure",
    "PlanStatus",
    "ProgrammeFacts",
    "ProgrammeIndicator",
    "ProgrammeResults",
    "ReferenceDate",
    "Source",
    "Subject",
    "compute_programme",
    "counts",
    "definitions_table",
    "programme_indicator",
    "programme_indicators",
    "programme_structure",
    "publish_programme",
]
