"""The referral state machine: hand-written paths, then properties over random action sequences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kansrijk.coordination import (
    OWNER_SIDE,
    TERMINAL,
    TRANSITIONS,
    Action,
    Actor,
    InvalidTransition,
    NotPermitted,
    Referral,
    ReferralState,
    Side,
    StaleVersion,
    apply,
    is_overdue,
    new_referral,
    owner_side,
    possible_actions,
)

S = ReferralState
MIDWIFE = Actor("mw-1", Side.SENDER)
MIDWIFE_2 = Actor("mw-2", Side.SENDER)
DEBT = Actor("sh-1", Side.RECEIVER)
DEBT_2 = Actor("sh-2", Side.RECEIVER)


def act(r: Referral, action: Action, actor: Actor, **kwargs: str) -> Referral:
    return apply(r, action, actor, expected_version=r.version, **kwargs)


def test_happy_path_moves_owner_and_version() -> None:
    r = new_referral("mw-1")
    assert (r.state, r.owner, r.version) == (S.REQUESTED, "mw-1", 1)
    r = act(r, Action.ACCEPT, DEBT)
    assert (r.state, r.owner, r.version) == (S.ACCEPTED, "sh-1", 2)
    r = act(r, Action.START, DEBT_2)  # a colleague makes the first contact: owner unchanged
    assert (r.state, r.owner, r.version) == (S.IN_PROGRESS, "sh-1", 3)
    r = act(r, Action.COMPLETE, DEBT)
    assert (r.state, r.owner, r.version) == (S.COMPLETED, "mw-1", 4)
    assert r.receiver_owner == "sh-1" and r.reason is None and r.terminal


def test_reject_needs_reason_and_returns_to_sender() -> None:
    r = new_referral("mw-1")
    with pytest.raises(InvalidTransition, match="reject needs a reason"):
        act(r, Action.REJECT, DEBT)
    with pytest.raises(InvalidTransition, match="reject needs a reason"):
        act(r, Action.REJECT, DEBT, reason="   ")
    r = act(r, Action.REJECT, DEBT, reason="outside our region")
    assert (r.state, r.owner, r.reason, r.receiver_owner) == (
        S.REJECTED,
        "mw-1",
        "outside our region",
        "sh-1",
    )


def test_who_may_cancel() -> None:
    requested = new_referral("mw-1")
    with pytest.raises(NotPermitted, match="for the sender side, not the receiver side"):
        act(requested, Action.CANCEL, DEBT, reason="x")
    cancelled = act(requested, Action.CANCEL, MIDWIFE, reason="family moved")
    assert (cancelled.state, cancelled.owner) == (S.CANCELLED, "mw-1")
    accepted = act(requested, Action.ACCEPT, DEBT)
    for actor in (MIDWIFE, DEBT):  # either side cancels an accepted referral
        assert act(accepted, Action.CANCEL, actor, reason="no longer needed").state == S.CANCELLED


def test_receiver_actions_refused_for_sender() -> None:
    with pytest.raises(NotPermitted, match="accept on a referral that is requested"):
        act(new_referral("mw-1"), Action.ACCEPT, MIDWIFE)


def test_impossible_actions_name_the_possible_ones() -> None:
    r = new_referral("mw-1")
    with pytest.raises(
        InvalidTransition,
        match=r"cannot complete a referral that is requested \(possible: accept, reject, cancel, "
        r"reassign\)",
    ):
        act(r, Action.COMPLETE, DEBT)
    with pytest.raises(InvalidTransition, match="accept takes no reason"):
        act(r, Action.ACCEPT, DEBT, reason="fine")


def test_reassign_changes_owner_on_the_owner_side_only() -> None:
    r = new_referral("mw-1")
    r2 = act(r, Action.REASSIGN, MIDWIFE_2, to="mw-2")
    assert (r2.state, r2.owner, r2.version) == (S.REQUESTED, "mw-2", 2)
    with pytest.raises(NotPermitted):
        act(r, Action.REASSIGN, DEBT, to="sh-1")
    with pytest.raises(InvalidTransition, match="needs the new owner"):
        act(r, Action.REASSIGN, MIDWIFE)
    with pytest.raises(InvalidTransition, match="other than the current one"):
        act(r, Action.REASSIGN, MIDWIFE, to="mw-1")
    accepted = act(r, Action.ACCEPT, DEBT)
    moved = act(accepted, Action.REASSIGN, DEBT, to="sh-2")
    assert (moved.owner, moved.sender_owner) == ("sh-2", "mw-1")


def test_terminal_states_keep_reason_on_reassign() -> None:
    r = act(new_referral("mw-1"), Action.REJECT, DEBT, reason="full")
    r = act(r, Action.REASSIGN, MIDWIFE, to="mw-2")
    assert (r.state, r.owner, r.reason) == (S.REJECTED, "mw-2", "full")
    for action in (Action.ACCEPT, Action.START, Action.COMPLETE, Action.CANCEL):
        with pytest.raises(InvalidTransition):
            act(r, action, DEBT, reason="x")


def test_stale_version_is_checked_first() -> None:
    r = act(new_referral("mw-1"), Action.ACCEPT, DEBT)
    with pytest.raises(StaleVersion, match="at version 2, not 1"):
        apply(r, Action.START, DEBT, expected_version=1)
    with pytest.raises(StaleVersion):  # even for an action that would be invalid anyway
        apply(r, Action.ACCEPT, MIDWIFE, expected_version=1)


def test_referral_checks_its_invariants() -> None:
    with pytest.raises(ValueError, match="needs an owner on the receiving side"):
        Referral(S.ACCEPTED, "mw-1")
    with pytest.raises(ValueError, match="needs a reason"):
        Referral(S.CANCELLED, "mw-1")
    with pytest.raises(ValueError, match="has no reason"):
        Referral(S.REQUESTED, "mw-1", reason="why")
    with pytest.raises(ValueError):
        Referral("sent", "mw-1")  # type: ignore[arg-type]
    assert Referral("accepted", "mw-1", "sh-1").state is S.ACCEPTED  # type: ignore[arg-type]


def test_owner_side_per_state() -> None:
    assert {s: owner_side(s) for s in S} == {
        S.REQUESTED: "sender",
        S.ACCEPTED: "receiver",
        S.IN_PROGRESS: "receiver",
        S.REJECTED: "sender",
        S.COMPLETED: "sender",
        S.CANCELLED: "sender",
    }


def test_possible_actions() -> None:
    r = new_referral("mw-1")
    assert possible_actions(r, Side.RECEIVER) == (Action.ACCEPT, Action.REJECT)
    assert possible_actions(r, Side.SENDER) == (Action.CANCEL, Action.REASSIGN)
    assert Actor("x", "sender").side is Side.SENDER  # type: ignore[arg-type]  # stored string


@pytest.mark.parametrize(
    ("state", "today", "overdue"),
    [
        (S.REQUESTED, date(2026, 3, 13), False),  # on the deadline day: not yet late
        (S.REQUESTED, date(2026, 3, 14), True),
        (S.ACCEPTED, date(2026, 3, 16), True),
        (S.IN_PROGRESS, date(2026, 3, 16), False),  # first contact made
        (S.REJECTED, date(2026, 3, 16), False),
        (S.CANCELLED, date(2026, 3, 16), False),
        (S.COMPLETED, date(2026, 3, 16), False),
    ],
)
def test_is_overdue(state: ReferralState, today: date, overdue: bool) -> None:
    assert is_overdue(state, date(2026, 3, 13), today) is overdue


def test_is_overdue_takes_a_referral() -> None:
    assert is_overdue(new_referral("mw-1"), date(2026, 3, 13), date(2026, 3, 20))


# --- properties -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: Action
    side: Side
    party: str
    reason: str | None
    to: str | None
    stale: bool


steps = st.builds(
    Step,
    action=st.sampled_from(Action),
    side=st.sampled_from(Side),
    party=st.sampled_from(["a", "b", "c"]),
    reason=st.one_of(st.none(), st.just(""), st.just("reason")),
    to=st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
    stale=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(steps, max_size=25))
def test_random_action_sequences_keep_the_invariants(sequence: list[Step]) -> None:
    r = new_referral("a")
    for step in sequence:
        before = r
        try:
            r = apply(
                r,
                step.action,
                Actor(step.party, step.side),
                expected_version=r.version - 1 if step.stale else r.version,
                reason=step.reason,
                to=step.to,
            )
        except StaleVersion:
            assert step.stale
            continue
        except InvalidTransition:
            assert r is before
            continue
        assert not step.stale
        # Never leaves the defined states, and follows the table.
        assert r.state in set(S)
        assert r.state == TRANSITIONS[before.state, step.action].target
        # Terminal states absorb.
        if before.state in TERMINAL:
            assert r.state == before.state
        # Version strictly increases, by one per successful action.
        assert r.version == before.version + 1
        # There is always an owner, on the side the state names.
        assert r.owner
        assert r.owner == (r.sender_owner if OWNER_SIDE[r.state] == "sender" else r.receiver_owner)
        # Rejected and cancelled always carry a reason; other states never do.
        assert bool(r.reason) == (r.state in {S.REJECTED, S.CANCELLED})
        # Reassign keeps the state and changes only the owner.
        if step.action is Action.REASSIGN:
            assert r.state == before.state and r.owner == step.to != before.owner
