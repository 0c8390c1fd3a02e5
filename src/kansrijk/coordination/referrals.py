"""The referral state machine: states, actions, who may act and who owns the referral.

`ReferralState` names the states (the web app stores their values); a `Referral` is one
referral's current state with its owners, version and reason; `apply` moves it on.
`TRANSITIONS` is the whole machine::

    requested   --accept-->   accepted      receiver
    requested   --reject-->   rejected      receiver, with a reason
    requested   --cancel-->   cancelled     sender, with a reason
    accepted    --start-->    in_progress   receiver: first contact with the family made
    accepted    --cancel-->   cancelled     either side, with a reason
    in_progress --complete--> completed     receiver
    in_progress --cancel-->   cancelled     either side, with a reason
    any state   --reassign--> same state    the owner's side, to another party on that side

*Ownership.* Every referral has an owner in every state: a party (a professional, or an
organisation's intake) on the sending or the receiving side. The receiver owns the referral
only while it has committed to it (accepted, in progress); in every other state the sender
owns it: before acceptance (the sender stays responsible until someone takes over: no client
falls between two organisations), after a rejection or cancellation (the sender decides what
happens next) and after completion (the result comes back to the one who coordinates).

*Who may act.* The receiving side accepts, rejects, starts and completes; either side may
cancel an accepted or running referral, the sender a requested one (the receiver rejects
instead). Reassign hands the referral to another party on the owner's side and keeps the state;
anyone on the owner's side may do it (a colleague takes over during illness). Reject and cancel
need a reason, which the referral keeps.

*Terminal states* (rejected, completed, cancelled) absorb: no action changes their state. Only
reassign is still possible, because a closed referral keeps an owner who answers for it (a
client's access request, the retention command).

*Optimistic locking.* Every applied action increments ``version``; `apply` takes the version the
caller read and raises `StaleVersion` when someone else acted in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final


class Side(StrEnum):
    """The two sides of a referral; `owner_side` returns one ("sender" or "receiver")."""

    SENDER = "sender"
    RECEIVER = "receiver"


SENDER: Final = Side.SENDER
RECEIVER: Final = Side.RECEIVER
BOTH: Final = frozenset(Side)


class ReferralState(StrEnum):
    """The states of a referral (the web app stores the values)."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REASSIGN = "reassign"


TERMINAL: Final = frozenset(
    {ReferralState.REJECTED, ReferralState.COMPLETED, ReferralState.CANCELLED}
)
#: States in which the receiver still has to make first contact: the deadline runs.
AWAITING_CONTACT: Final = frozenset({ReferralState.REQUESTED, ReferralState.ACCEPTED})
#: States that carry the reason of the action that led to them.
WITH_REASON: Final = frozenset({ReferralState.REJECTED, ReferralState.CANCELLED})

#: Which side owns a referral in each state (see the module docstring).
OWNER_SIDE: Final[Mapping[ReferralState, Side]] = {
    ReferralState.REQUESTED: SENDER,
    ReferralState.ACCEPTED: RECEIVER,
    ReferralState.IN_PROGRESS: RECEIVER,
    ReferralState.REJECTED: SENDER,
    ReferralState.COMPLETED: SENDER,
    ReferralState.CANCELLED: SENDER,
}


def owner_side(state: ReferralState) -> Side:
    """The side that owns a referral in ``state``: "sender" or "receiver"."""
    return OWNER_SIDE[state]


@dataclass(frozen=True)
class Rule:
    """What an action does in one state: the state it leads to and who may do it."""

    target: ReferralState
    sides: frozenset[Side]
    needs_reason: bool = False


_S = ReferralState
_BY_SENDER: Final[frozenset[Side]] = frozenset({SENDER})
_BY_RECEIVER: Final[frozenset[Side]] = frozenset({RECEIVER})
_REASON: Final = True

#: The transition table. Reassign appears in every state, for the owner's side only.
TRANSITIONS: Final[Mapping[tuple[ReferralState, Action], Rule]] = {
    (_S.REQUESTED, Action.ACCEPT): Rule(_S.ACCEPTED, _BY_RECEIVER),
    (_S.REQUESTED, Action.REJECT): Rule(_S.REJECTED, _BY_RECEIVER, _REASON),
    (_S.REQUESTED, Action.CANCEL): Rule(_S.CANCELLED, _BY_SENDER, _REASON),
    (_S.ACCEPTED, Action.START): Rule(_S.IN_PROGRESS, _BY_RECEIVER),
    (_S.ACCEPTED, Action.CANCEL): Rule(_S.CANCELLED, BOTH, _REASON),
    (_S.IN_PROGRESS, Action.COMPLETE): Rule(_S.COMPLETED, _BY_RECEIVER),
    (_S.IN_PROGRESS, Action.CANCEL): Rule(_S.CANCELLED, BOTH, _REASON),
    **{(s, Action.REASSIGN): Rule(s, frozenset({OWNER_SIDE[s]})) for s in ReferralState},
}


class InvalidTransition(ValueError):  # noqa: N818 - the name the platform and the issue use
    """An action that the state machine does not allow here (the message says why)."""


class NotPermitted(InvalidTransition):
    """An action the actor's side may not take in this state."""


class StaleVersion(InvalidTransition):
    """The referral changed since the caller read it: reload and decide again."""


@dataclass(frozen=True)
class Actor:
    """Who acts: an opaque party key (never a name) and the side of the referral it is on."""

    party: str
    side: Side

    def __post_init__(self) -> None:
        object.__setattr__(self, "side", Side(self.side))  # a stored string becomes the enum


@dataclass(frozen=True)
class Referral:
    """The state of one referral, its owners on both sides, version and reason.

    ``receiver_owner`` is the party on the receiving side that holds (or last held) the
    referral: None until someone accepts or rejects it. ``reason`` is set exactly in the
    rejected and cancelled states.
    """

    state: ReferralState
    sender_owner: str
    receiver_owner: str | None = None
    version: int = 1
    reason: str | None = None

    def __post_init__(self) -> None:
        # The web app hands over the stored string: make it the enum (or fail clearly).
        object.__setattr__(self, "state", ReferralState(self.state))
        if not self.sender_owner:
            raise ValueError("a referral needs an owner on the sending side")
        if owner_side(self.state) == RECEIVER and not self.receiver_owner:
            raise ValueError(
                f"a referral that is {self.state} needs an owner on the receiving side"
            )
        needs = self.state in WITH_REASON
        if needs != bool(self.reason and self.reason.strip()):
            raise ValueError(
                f"a referral that is {self.state} {'needs a' if needs else 'has no'} reason"
            )
        if self.version < 1:
            raise ValueError("version must be at least 1")

    @property
    def owner(self) -> str:
        """The party that owns the referral now (on the side `owner_side` names)."""
        if owner_side(self.state) == SENDER:
            return self.sender_owner
        assert self.receiver_owner is not None  # checked in __post_init__
        return self.receiver_owner

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL


def new_referral(sender_owner: str) -> Referral:
    """A referral just sent: requested, owned by the sender, version 1."""
    return Referral(ReferralState.REQUESTED, sender_owner)


def possible_actions(referral: Referral, side: Side) -> tuple[Action, ...]:
    """The actions ``side`` may take on ``referral`` now (for the buttons a page shows)."""
    return tuple(
        a for a in Action if side in getattr(TRANSITIONS.get((referral.state, a)), "sides", ())
    )


def apply(
    referral: Referral,
    action: Action,
    actor: Actor,
    *,
    expected_version: int,
    reason: str | None = None,
    to: str | None = None,
) -> Referral:
    """The referral after ``actor`` takes ``action``; ``to`` is the new owner for reassign.

    Raises StaleVersion when ``expected_version`` is not the referral's version,
    InvalidTransition when the action is not possible in this state or its reason or target
    is missing (or given where it does not belong), NotPermitted when the actor's side may
    not take it.
    """
    if expected_version != referral.version:
        raise StaleVersion(
            f"the referral is at version {referral.version}, not {expected_version}: "
            "someone changed it; reload it and try again"
        )
    action = Action(action)
    rule = TRANSITIONS.get((referral.state, action))
    if rule is None:
        allowed = ", ".join(a for a in Action if (referral.state, a) in TRANSITIONS)
        raise InvalidTransition(
            f"cannot {action} a referral that is {referral.state} (possible: {allowed})"
        )
    if actor.side not in rule.sides:
        sides = " or ".join(sorted(rule.sides))
        raise NotPermitted(
            f"{action} on a referral that is {referral.state} is for the {sides} side, "
            f"not the {actor.side} side"
        )
    if rule.needs_reason and not (reason and reason.strip()):
        raise InvalidTransition(f"{action} needs a reason")
    if not rule.needs_reason and reason is not None:
        raise InvalidTransition(f"{action} takes no reason")
    if (action is Action.REASSIGN) != (to is not None):
        raise InvalidTransition("reassign, and only reassign, needs the new owner (to)")

    sender_owner, receiver_owner = referral.sender_owner, referral.receiver_owner
    if action in (Action.ACCEPT, Action.REJECT):
        receiver_owner = actor.party
    if action is Action.REASSIGN:
        if not to or to == referral.owner:
            raise InvalidTransition("reassign needs a new owner other than the current one")
        if owner_side(referral.state) == SENDER:
            sender_owner = to
        else:
            receiver_owner = to
    return Referral(
        state=rule.target,
        sender_owner=sender_owner,
        receiver_owner=receiver_owner,
        version=referral.version + 1,
        reason=reason if rule.needs_reason else referral.reason,
    )


def is_overdue(state: ReferralState | Referral, deadline: date, today: date) -> bool:
    """Whether the receiver is late: no first contact yet (requested or accepted) after the
    deadline day. A referral in progress, or closed, is never overdue."""
    current = state.state if isinstance(state, Referral) else ReferralState(state)
    return current in AWAITING_CONTACT and today > deadline
