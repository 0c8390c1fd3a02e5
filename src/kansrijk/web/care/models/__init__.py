"""The care app's models, one module per concern (see each module's docstring). The audit
log's models are in ``kansrijk.web.audit``, retention's in ``kansrijk.web.retention``, the case
conferences' in ``kansrijk.web.conferences``, referrals, signals and local routes in
``kansrijk.web.referrals``."""

from kansrijk.web.care.models.plans import (
    CarePlanGoal,
    GoalStatus,
    Task,
)
from kansrijk.web.care.models.records import (
    CareTeamMember,
    Client,
    ClientMember,
    Consent,
    ConsentCategory,
    ConsentMethod,
    ConsentQuerySet,
    ContactPerson,
    EmergencyAccess,
    MemberRole,
    Note,
    NoteKind,
    validate_category,
    validate_state,
)

__all__ = [
    "CarePlanGoal",
    "CareTeamMember",
    "Client",
    "ClientMember",
    "Consent",
    "ConsentCategory",
    "ConsentMethod",
    "ConsentQuerySet",
    "ContactPerson",
    "EmergencyAccess",
    "GoalStatus",
    "MemberRole",
    "Note",
    "NoteKind",
    "Task",
    "validate_category",
    "validate_state",
]
