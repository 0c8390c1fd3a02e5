"""Data categories and record kinds: what a care-coordination record may contain.

Consent, retention and sharing all speak in data categories, so they are one vocabulary here.
A client consents to sharing *categories* with a partner (consent), a route step says which
category it shares (routes), and every category has a retention period (retention).

Each kind of record carries some categories always (a referral always says who the client is
and who coordinates) and may carry others, depending on its content (the domains of the
instrument that were answered, the category a route step shares, the tags a professional puts
on a contact note). `categories_for` checks a record's categories against its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

Language = Literal["nl", "en"]


class DataCategory(StrEnum):
    """A kind of personal data a coordination record can hold."""

    IDENTITY = "identity"
    CARE_COORDINATION = "care_coordination"
    FAMILY = "family"
    FINANCIAL = "financial"
    EDUCATION = "education"
    LIFESTYLE = "lifestyle"
    MEDICAL = "medical"
    PSYCHOSOCIAL = "psychosocial"
    PARENTING = "parenting"

    @property
    def label_nl(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    def label(self, language: Language = "nl") -> str:
        """The label users see, in Dutch (default) or English."""
        return self.label_nl if language == "nl" else self.label_en

    @property
    def health(self) -> bool:
        """Health data (GDPR art. 9): sharing needs explicit consent or a statutory basis."""
        return self in HEALTH_CATEGORIES


_LABELS: Final[dict[DataCategory, tuple[str, str]]] = {
    DataCategory.IDENTITY: ("Identiteit en contactgegevens", "Identity and contact details"),
    DataCategory.CARE_COORDINATION: (
        "Zorgcoördinatie (wie is betrokken, verwijzingen en afspraken)",
        "Care coordination (who is involved, referrals and agreements)",
    ),
    DataCategory.FAMILY: ("Gezinssituatie en wonen", "Family situation and housing"),
    DataCategory.FINANCIAL: ("Werk, inkomen en schulden", "Work, income and debts"),
    DataCategory.EDUCATION: ("Taal, opleiding en communicatie", "Language, education and literacy"),
    DataCategory.LIFESTYLE: (
        "Leefstijl en middelengebruik",
        "Lifestyle and substance use",
    ),
    DataCategory.MEDICAL: ("Medisch en verloskundig", "Medical and obstetric"),
    DataCategory.PSYCHOSOCIAL: ("Psychisch en sociaal welbevinden", "Mental and social well-being"),
    DataCategory.PARENTING: ("Hechting en opvoeding", "Attachment and parenting"),
}

#: Categories that are health data in the sense of GDPR art. 9.
HEALTH_CATEGORIES: Final = frozenset(
    {DataCategory.MEDICAL, DataCategory.PSYCHOSOCIAL, DataCategory.LIFESTYLE}
)
#: Categories that describe the content of care, as opposed to who and how it is coordinated.
CONTENT_CATEGORIES: Final = frozenset(DataCategory) - {
    DataCategory.IDENTITY,
    DataCategory.CARE_COORDINATION,
}


class RecordKind(StrEnum):
    """The kinds of record the care-coordination platform keeps about a client."""

    SIGNAL = "signal"  # a screening with the answers to an instrument
    REFERRAL = "referral"  # one step of a client route sent to a partner
    CONTACT_NOTE = "contact_note"  # a professional's note of a contact with the family
    CONFERENCE_DECISION = "conference_decision"  # a decision of a casuïstiekbespreking
    CARE_PLAN_GOAL = "care_plan_goal"  # one goal of the family's plan
    TASK = "task"  # something a partner will do for the family (a goal's step, a decision's)
    AGENDA_ITEM = "agenda_item"  # a family put on a case conference's agenda, with minutes
    CLIENT = "client"  # the family record itself: members, family situation, consents


@dataclass(frozen=True)
class RecordCategories:
    """The categories a kind of record always carries and those it may carry."""

    always: frozenset[DataCategory]
    possible: frozenset[DataCategory]


#: What each kind of record carries. A signal carries the category of every instrument domain
#: with an answer (see `kansrijk.coordination.instruments.answer_categories`); a referral the
#: category its route step shares; notes, decisions, goals and tasks the categories they are
#: tagged with; an agenda item those of its decisions; the client those of all its records.
RECORD_CATEGORIES: Final[Mapping[RecordKind, RecordCategories]] = {
    RecordKind.SIGNAL: RecordCategories(frozenset({DataCategory.IDENTITY}), CONTENT_CATEGORIES),
    RecordKind.REFERRAL: RecordCategories(
        frozenset({DataCategory.IDENTITY, DataCategory.CARE_COORDINATION}), CONTENT_CATEGORIES
    ),
    RecordKind.CONTACT_NOTE: RecordCategories(
        frozenset({DataCategory.IDENTITY, DataCategory.CARE_COORDINATION}), CONTENT_CATEGORIES
    ),
    RecordKind.CONFERENCE_DECISION: RecordCategories(
        frozenset({DataCategory.IDENTITY, DataCategory.CARE_COORDINATION}), CONTENT_CATEGORIES
    ),
    RecordKind.CARE_PLAN_GOAL: RecordCategories(
        frozenset({DataCategory.IDENTITY, DataCategory.CARE_COORDINATION}), CONTENT_CATEGORIES
    ),
    RecordKind.TASK: RecordCategories(
        frozenset({DataCategory.IDENTITY, DataCategory.CARE_COORDINATION}), CONTENT_CATEGORIES
    ),
    RecordKind.AGENDA_ITEM: RecordCategories(
        frozenset({DataCategory.IDENTITY, DataCategory.CARE_COORDINATION}), CONTENT_CATEGORIES
    ),
    RecordKind.CLIENT: RecordCategories(
        frozenset({DataCategory.IDENTITY}), CONTENT_CATEGORIES | {DataCategory.CARE_COORDINATION}
    ),
}


def categories_for(
    kind: RecordKind, content: Iterable[DataCategory] = ()
) -> frozenset[DataCategory]:
    """All categories one record of ``kind`` carries, given the categories of its content.

    Raises ValueError when the content names a category this kind of record cannot hold.
    """
    carries = RECORD_CATEGORIES[kind]
    content = frozenset(DataCategory(c) for c in content)
    stray = content - carries.possible - carries.always
    if stray:
        names = ", ".join(sorted(stray))
        raise ValueError(f"a {kind} record cannot carry the categories {names}")
    return carries.always | content
