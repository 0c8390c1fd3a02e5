"""The referral workflow as the web app uses it. The rules (states, who may act, who owns a
referral, reasons, optimistic versions, deadlines, overdue) are the core's,
``kansrijk.coordination.referrals`` and ``kansrijk.coordination.routes``; this module only
translates between them and the models: users become opaque party keys (``user:<id>``), the
user's organisation decides their side, a stored route code and step number become the core's
``Step``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kansrijk.coordination import referrals as core
from kansrijk.coordination import routes
from kansrijk.coordination.referrals import (
    RECEIVER,
    SENDER,
    Action,
    InvalidTransition,
    NotPermitted,
    ReferralState,
    Side,
    StaleVersion,
)
from kansrijk.web.care.vocabulary import english

if TYPE_CHECKING:
    from kansrijk.web.accounts.models import User
    from kansrijk.web.referrals.models import Referral

__all__ = [
    "RECEIVER",
    "SENDER",
    "Action",
    "InvalidTransition",
    "NotPermitted",
    "Side",
    "StaleVersion",
]

#: States in which the receiving organisation works with (or decides on) the client.
OPEN = frozenset({ReferralState.REQUESTED, ReferralState.ACCEPTED, ReferralState.IN_PROGRESS})
#: States whose deadline runs (no first contact yet): the core's rule for overdue.
AWAITING_CONTACT = core.AWAITING_CONTACT
#: Actions the referral page offers as buttons (reassigning has its own page: it needs a person).
PAGE_ACTIONS = (Action.ACCEPT, Action.REJECT, Action.START, Action.COMPLETE, Action.CANCEL)


def party(user_id: int) -> str:
    return f"user:{user_id}"


def user_id_of(party_key: str | None) -> int | None:
    if not party_key:
        return None
    return int(party_key.removeprefix("user:"))


def side_of(referral: Referral, user: User) -> Side | None:
    """The user's side of the referral, from their organisation (None: neither)."""
    if user.organisation_id is None:
        return None
    if user.organisation_id == referral.to_organisation_id:
        return RECEIVER
    if user.organisation_id == referral.from_organisation_id:
        return SENDER
    return None


def to_core(referral: Referral) -> core.Referral:
    return core.Referral(
        state=ReferralState(referral.state),
        sender_owner=party(referral.sender_owner_id),
        receiver_owner=party(referral.receiver_owner_id) if referral.receiver_owner_id else None,
        version=referral.version,
        reason=referral.decision_reason or None,
    )


def actions_for(referral: Referral, side: Side | None) -> list[str]:
    if side is None:
        return []
    possible = core.possible_actions(to_core(referral), side)
    return [a.value for a in PAGE_ACTIONS if a in possible]


def needs_reason(action: str) -> bool:
    return action in (Action.REJECT, Action.CANCEL)


@dataclass(frozen=True)
class Outcome:
    """The stored fields after an action."""

    state: str
    sender_owner_id: int
    receiver_owner_id: int | None
    owner_organisation_id: int
    owner_user_id: int
    decision_reason: str
    version: int


def may_reassign(referral: Referral, side: Side | None) -> bool:
    """Whether a user on ``side`` may hand the referral to a colleague (the owner's side)."""
    return side is not None and core.owner_side(ReferralState(referral.state)) == side


def apply(
    referral: Referral,
    action: str,
    actor: User,
    side: Side,
    expected_version: int,
    reason: str,
    to: User | None = None,
) -> Outcome:
    """The core's ``apply`` on the stored referral (``to``: the new owner of a reassign);
    raises its StaleVersion, NotPermitted or InvalidTransition."""
    after = core.apply(
        to_core(referral),
        Action(action),
        core.Actor(party(actor.pk), side),
        expected_version=expected_version,
        reason=reason.strip() or None if needs_reason(action) else None,
        to=party(to.pk) if to is not None else None,
    )
    owner_side = core.owner_side(after.state)
    owner_org = (
        referral.to_organisation_id if owner_side == RECEIVER else referral.from_organisation_id
    )
    owner = user_id_of(after.owner)
    assert owner is not None
    return Outcome(
        state=after.state.value,
        sender_owner_id=user_id_of(after.sender_owner) or referral.sender_owner_id,
        receiver_owner_id=user_id_of(after.receiver_owner),
        owner_organisation_id=owner_org,
        owner_user_id=owner,
        decision_reason=after.reason or "",
        version=after.version,
    )


# --- Routes and deadlines ---------------------------------------------------------------------


def step_of(route_code: str, step: str) -> routes.Step | None:
    """The base route's step (None when the code or step is not a shipped route)."""
    try:
        return routes.route(route_code).step(int(step))
    except (KeyError, ValueError):
        return None


def find_step(found: Iterable[routes.Route], route_code: str, step: str) -> routes.Step | None:
    """Step ``step`` of the route ``route_code`` among ``found`` (None when not there)."""
    for r in found:
        if r.code == route_code:
            try:
                return r.step(int(step))
            except (KeyError, ValueError):
                return None
    return None


def step_choices(found: Iterable[routes.Route] = routes.BASE_ROUTES) -> list[tuple[str, str]]:
    """Every step of every route (the base routes by default), as ``code:order`` with a
    readable label."""
    en = english()
    out = []
    for r in found:
        for s in r.steps:
            title = (r.title_en, s.title_en) if en else (r.title_nl, s.title_nl)
            partner = s.partner_type.label_en if en else s.partner_type.label_nl
            out.append((f"{r.code}:{s.order}", f"{title[0]} · {s.order}. {title[1]} ({partner})"))
    return out


def route_label(route_code: str, step: str) -> str:
    """The route's and step's titles in the active language (the code when unknown)."""
    try:
        found = routes.route(route_code)
        current = found.step(int(step)) if step else None
    except (KeyError, ValueError):
        return f"{route_code} {step}".strip()
    en = english()
    title = found.title_en if en else found.title_nl
    if current is None:
        return title
    return f"{title} · {current.order}. {current.title_en if en else current.title_nl}"


def is_overdue(state: str, deadline_day: date | None, today: date) -> bool:
    return deadline_day is not None and core.is_overdue(ReferralState(state), deadline_day, today)
