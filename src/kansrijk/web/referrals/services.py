"""Referral services: every change to referrals and signals goes through here (views hold no
rules).

The callers (views) decide *whether* the user may act (``care.access``) and write the audit
entries (``audit.log``); these functions keep the data's own invariants: optimistic locking of
referrals, an owner in every referral state, the route step's category and deadline, the routes
a signal proposes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kansrijk.coordination import instruments, routes
from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.care.models import Client, MemberRole
from kansrijk.web.care.vocabulary import DataCategory, ReferralState
from kansrijk.web.referrals import coalition, workflow
from kansrijk.web.referrals.models import LocalRoute, Referral, ReferralEvent, Signal

# --- Signals ----------------------------------------------------------------------------------


def situation_of(client: Client, day: date) -> routes.Situation:
    """What the entry criteria of the routes can know of the family on ``day``: the pregnant
    woman's due date and date of birth (whether she is a status holder or has kraamzorg
    arranged is not recorded on the client; the screening's flags say so)."""
    pregnant = next(
        (m for m in client.members.all() if m.role == MemberRole.PREGNANT),
        None,
    )
    if pregnant is None:
        return routes.Situation(on=day)
    return routes.Situation(
        on=day, due_date=pregnant.due_date, mother_birth_date=pregnant.date_of_birth
    )


def record_signal(
    client: Client,
    user: User,
    instrument: instruments.Instrument,
    answers: Mapping[str, instruments.Answer | None],
    now: datetime | None = None,
) -> Signal:
    """Score ``answers`` on ``instrument`` and store the signal (raises the core's AnswerError
    for answers that do not fit)."""
    if user.organisation is None:
        raise ValueError("a signal is recorded by a user of an organisation")
    screening = instruments.score(instrument, answers)
    categories = instruments.answer_categories(instrument, screening.answered)
    now = now or timezone.now()
    day = timezone.localdate(now)
    proposed = routes.propose(
        screening,
        situation_of(client, day),
        coalition.effective_routes(client.municipality_code, day),
    )
    return Signal.objects.create(
        client=client,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        answers={code: answer for code, answer in answers.items() if answer is not None},
        total_score=screening.total,
        domain_scores=dict(screening.per_domain),
        flags=sorted(screening.flags),
        above_threshold=screening.above_threshold,
        proposed_routes=list(proposed),
        categories=sorted(c.value for c in categories),
        recorded_by=user,
        organisation=user.organisation,
        recorded_at=now,
    )


# --- Referrals --------------------------------------------------------------------------------


class StaleVersionError(Exception):
    """The referral changed since the form was shown; ``current`` is how it is now."""

    def __init__(self, current: Referral) -> None:
        super().__init__("the referral was changed by someone else")
        self.current = current


def create_referral(
    client: Client,
    user: User,
    *,
    to_organisation: Organisation,
    route_code: str,
    route_step: str,
    reason: str,
    category: str | None = None,
    now: datetime | None = None,
    variant: LocalRoute | None = None,
) -> Referral:
    """A requested referral, owned by its sender; the category it shares and the deadline come
    from the route step when it is a known route (``category`` otherwise): the coalition's
    local ``variant`` of the route when it has one, else the base route."""
    if user.organisation is None:
        raise ValueError("a referral is sent by a user of an organisation")
    if to_organisation.pk == user.organisation_id:
        raise workflow.InvalidTransition("a referral goes to another organisation")
    if variant is not None and variant.code != route_code:
        raise ValueError("the local variant is of another route")
    step = (
        workflow.step_of(route_code, route_step)
        if variant is None
        else workflow.find_step([variant.route()], route_code, route_step)
    )
    shares = step.shares.value if step is not None else category
    if shares is None:
        raise ValueError("a referral outside the known routes needs a data category")
    now = now or timezone.now()
    state = ReferralState.REQUESTED.value
    with transaction.atomic():
        referral = Referral.objects.create(
            client=client,
            from_organisation=user.organisation,
            from_user=user,
            to_organisation=to_organisation,
            route_code=route_code,
            route_step=route_step,
            category=DataCategory(shares).value,
            reason=reason,
            state=state,
            sender_owner=user,
            receiver_owner=None,
            owner_organisation=user.organisation,
            owner_user=user,
            route_variant=variant,
            deadline=None if step is None else routes.deadline(timezone.localdate(now), step),
            version=1,
            created_at=now,
            updated_at=now,
        )
        ReferralEvent.objects.create(
            referral=referral,
            action="request",
            from_state="",
            to_state=state,
            actor=user,
            organisation=user.organisation,
            version=1,
            at=now,
        )
    return referral


def transition(
    referral: Referral,
    action: str,
    user: User,
    expected_version: int,
    reason: str = "",
    now: datetime | None = None,
    to: User | None = None,
) -> Referral:
    """Apply ``action`` if the referral is still at ``expected_version``: the core decides,
    then ``UPDATE ... WHERE version = expected`` changes one row or none. Raises
    StaleVersionError (nothing changed), or the core's NotPermitted / InvalidTransition.
    ``to`` is the new owner of a reassign: a colleague on the same side."""
    now = now or timezone.now()
    side = workflow.side_of(referral, user)
    if side is None or user.organisation is None:
        raise workflow.NotPermitted("only the sending or receiving organisation may act")
    if to is not None and to.organisation_id != user.organisation_id:
        raise workflow.NotPermitted("a referral is handed to a colleague of the same side")
    try:
        outcome = workflow.apply(referral, action, user, side, expected_version, reason, to)
    except workflow.StaleVersion:
        raise StaleVersionError(referral) from None
    with transaction.atomic():
        changed = Referral.objects.filter(pk=referral.pk, version=expected_version).update(
            state=outcome.state,
            version=outcome.version,
            sender_owner_id=outcome.sender_owner_id,
            receiver_owner_id=outcome.receiver_owner_id,
            owner_organisation_id=outcome.owner_organisation_id,
            owner_user_id=outcome.owner_user_id,
            decision_reason=outcome.decision_reason,
            updated_at=now,
        )
        if changed != 1:
            raise StaleVersionError(Referral.objects.get(pk=referral.pk))
        ReferralEvent.objects.create(
            referral=referral,
            action=action,
            from_state=referral.state,
            to_state=outcome.state,
            actor=user,
            organisation=user.organisation,
            reason=reason.strip() if workflow.needs_reason(action) or to else "",
            version=outcome.version,
            at=now,
        )
    referral.refresh_from_db()
    return referral


def overdue(referrals: QuerySet[Referral], today: date | None = None) -> QuerySet[Referral]:
    """Referrals without first contact after their deadline day (in SQL; the core's rule)."""
    today = today or timezone.localdate()
    return referrals.filter(
        state__in=[s.value for s in workflow.AWAITING_CONTACT], deadline__lt=today
    )
