"""Care services: every change to client data goes through here (views hold no rules).

The callers (views) decide *whether* the user may act (``care.access``) and write the audit
entries (``audit.log``); these functions keep the data's own invariants: one registration per
BSN, exactly one contact person after the first, withdrawals that take effect at once.
Referrals and signals have their own services (``referrals.services``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care.bsn import bsn_hash
from kansrijk.web.care.models import (
    CareTeamMember,
    Client,
    ClientMember,
    Consent,
    ConsentCategory,
    ContactPerson,
    EmergencyAccess,
    MemberRole,
    Note,
    NoteKind,
)
from kansrijk.web.care.vocabulary import DataCategory

#: Longest emergency access, in hours (the default is ``settings.KANSRIJK_EMERGENCY_HOURS``).
MAX_EMERGENCY_HOURS = 8


# --- Clients ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    role: str
    given_name: str
    family_name: str
    date_of_birth: date | None = None
    due_date: date | None = None
    bsn: str = ""  # validated (elfproef) by the form; hashed here, never stored


class DuplicateBsnError(Exception):
    """A member's BSN is already registered (``client_id``: the family it belongs to)."""

    def __init__(self, client_id: int) -> None:
        super().__init__("a family member with this BSN is already registered")
        self.client_id = client_id


def find_member_by_bsn(bsn: str) -> ClientMember | None:
    return ClientMember.objects.filter(bsn_hash=bsn_hash(bsn)).first()


def register_client(
    user: User,
    *,
    municipality_code: str,
    members: Sequence[MemberInput],
    family_situation: str = "",
    now: datetime | None = None,
) -> Client:
    """A new family owned by the user's organisation, with that organisation in the care team
    and the user as the first contact person. Raises DuplicateBsnError when a BSN is known."""
    if user.organisation is None:
        raise ValueError("a client is registered by a user of an organisation")
    now = now or timezone.now()
    hashes = [bsn_hash(m.bsn) if m.bsn else "" for m in members]
    known = ClientMember.objects.filter(bsn_hash__in=[h for h in hashes if h]).first()
    if known is not None:
        raise DuplicateBsnError(known.client_id)
    try:
        with transaction.atomic():
            client = Client.objects.create(
                owner_organisation=user.organisation,
                municipality_code=municipality_code,
                family_situation=family_situation,
                created_by=user,
            )
            ClientMember.objects.bulk_create(
                ClientMember(
                    client=client,
                    role=m.role,
                    given_name=m.given_name,
                    family_name=m.family_name,
                    date_of_birth=m.date_of_birth,
                    due_date=m.due_date if m.role == MemberRole.PREGNANT else None,
                    bsn_hash=h,
                )
                for m, h in zip(members, hashes, strict=True)
            )
            CareTeamMember.objects.create(
                client=client, organisation=user.organisation, since=timezone.localdate(now)
            )
            ContactPerson.objects.create(
                client=client,
                user=user,
                organisation=user.organisation,
                started_at=now,
                assigned_by=user,
            )
    except IntegrityError:  # registered by someone else at the same moment
        known = ClientMember.objects.filter(bsn_hash__in=[h for h in hashes if h]).first()
        if known is None:
            raise
        raise DuplicateBsnError(known.client_id) from None
    return client


def add_member(client: Client, member: MemberInput) -> ClientMember:
    """Add a family member (the child after birth, a partner later on)."""
    digest = bsn_hash(member.bsn) if member.bsn else ""
    if digest:
        known = ClientMember.objects.filter(bsn_hash=digest).first()
        if known is not None:
            raise DuplicateBsnError(known.client_id)
    return ClientMember.objects.create(
        client=client,
        role=member.role,
        given_name=member.given_name,
        family_name=member.family_name,
        date_of_birth=member.date_of_birth,
        due_date=member.due_date if member.role == MemberRole.PREGNANT else None,
        bsn_hash=digest,
    )


def search(clients: QuerySet[Client], text: str = "", born: date | None = None) -> QuerySet[Client]:
    """Clients (already limited to the visible ones) with a member matching name and/or date of
    birth."""
    condition = Q()
    for word in text.split():
        condition &= Q(members__given_name__icontains=word) | Q(
            members__family_name__icontains=word
        )
    if born is not None:
        condition &= Q(members__date_of_birth=born)
    return clients.filter(pk__in=Client.objects.filter(condition).values("pk"))


def add_note(
    client: Client, user: User, category: str, text: str, kind: str = NoteKind.NOTE
) -> Note:
    """A note, or with ``kind`` contact a contact with the family, by ``user``."""
    assert user.organisation is not None
    return Note.objects.create(
        client=client,
        kind=NoteKind(kind).value,
        category=DataCategory(category).value,
        text=text,
        author=user,
        organisation=user.organisation,
    )


# --- Consent ----------------------------------------------------------------------------------


def record_consent(
    client: Client,
    user: User,
    *,
    categories: Iterable[str],
    purpose: str,
    valid_from: date,
    method: str,
    recipient_organisation: Organisation | None = None,
    recipient_role: str = "",
    valid_until: date | None = None,
    now: datetime | None = None,
) -> Consent:
    chosen = sorted({DataCategory(c).value for c in categories})
    if not chosen:
        raise ValueError("a consent covers at least one data category")
    with transaction.atomic():
        consent = Consent.objects.create(
            client=client,
            recipient_organisation=recipient_organisation,
            recipient_role=recipient_role,
            purpose=purpose,
            valid_from=valid_from,
            valid_until=valid_until,
            method=method,
            recorded_by=user,
            recorded_at=now or timezone.now(),
        )
        ConsentCategory.objects.bulk_create(
            ConsentCategory(consent=consent, category=c) for c in chosen
        )
    return consent


def withdraw_consent(consent: Consent, user: User, now: datetime | None = None) -> bool:
    """Withdraw at once; False when it was already withdrawn (nothing changes then)."""
    now = now or timezone.now()
    changed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=user
    )
    consent.refresh_from_db()
    return changed == 1


# --- Contact person (regievoerder) -------------------------------------------------------------


def contact_person_candidates(
    client: Client, today: date | None = None, now: datetime | None = None
) -> QuerySet[User]:
    """Active professionals and coordinators of the owning organisation, or of the care team
    when a valid consent for them (their organisation and/or role) covers identity and care
    coordination: the contact person role opens nothing beyond consent."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    team = CareTeamMember.objects.filter(
        Q(client=client), Q(since__lte=today), Q(until__isnull=True) | Q(until__gte=today)
    ).values("organisation_id")

    def consented(category: str) -> Exists:
        return Exists(
            Consent.objects.valid_at(now).filter(
                Q(recipient_organisation__isnull=True)
                | Q(recipient_organisation_id=OuterRef("organisation_id")),
                Q(recipient_role="") | Q(recipient_role=OuterRef("role")),
                client=client,
                categories__category=category,
            )
        )

    within_consent = (
        Q(organisation_id__in=team)
        & Q(consented(DataCategory.IDENTITY.value))
        & Q(consented(DataCategory.CARE_COORDINATION.value))
    )
    return User.objects.filter(
        Q(organisation_id=client.owner_organisation_id) | within_consent,
        role__in=[Role.PROFESSIONAL, Role.COORDINATOR],
        is_active=True,
    ).order_by("last_name", "first_name", "username")


def current_contact_person(client: Client) -> ContactPerson | None:
    return ContactPerson.objects.filter(client=client, ended_at__isnull=True).first()


def hand_over(
    client: Client, to: User, by: User, note: str = "", now: datetime | None = None
) -> ContactPerson:
    """End the open assignment and open the next one, in one transaction: there is exactly one
    contact person before and after (the database refuses a second open assignment)."""
    if to.organisation is None:
        raise ValueError("a contact person belongs to an organisation")
    now = now or timezone.now()
    with transaction.atomic():
        ContactPerson.objects.select_for_update().filter(
            client=client, ended_at__isnull=True
        ).update(ended_at=now)
        return ContactPerson.objects.create(
            client=client,
            user=to,
            organisation=to.organisation,
            started_at=now,
            assigned_by=by,
            note=note,
        )


# --- Emergency access -------------------------------------------------------------------------


def start_emergency(
    user: User,
    client: Client,
    reason: str,
    hours: int,
    now: datetime | None = None,
    *,
    category: str = "other",
    basis: str = "",
) -> EmergencyAccess:
    """Record one emergency access (``care.emergency.break_glass`` checks who may open it)."""
    if not reason.strip():
        raise ValueError("emergency access needs a reason")
    if not 1 <= hours <= MAX_EMERGENCY_HOURS:
        raise ValueError(f"emergency access lasts 1 to {MAX_EMERGENCY_HOURS} hours")
    assert user.organisation is not None
    now = now or timezone.now()
    return EmergencyAccess.objects.create(
        user=user,
        organisation=user.organisation,
        client=client,
        reason_category=category,
        reason=reason.strip(),
        basis=basis,
        started_at=now,
        expires_at=now + timedelta(hours=hours),
    )


def emergencies_to_review(reviewer: User, municipality_code: str = "") -> QuerySet[EmergencyAccess]:
    """Unreviewed emergency accesses: all for an administrator, the municipality's clients for a
    coordinator; never the reviewer's own."""
    pending = EmergencyAccess.objects.filter(reviewed_at__isnull=True).exclude(user=reviewer)
    if reviewer.role != Role.ADMINISTRATOR:
        pending = pending.filter(client__municipality_code=municipality_code)
    return pending.select_related("user", "organisation").order_by("started_at", "pk")


def review_emergency(
    emergency: EmergencyAccess, reviewer: User, note: str, now: datetime | None = None
) -> bool:
    """Mark reviewed once; False when it was reviewed already."""
    changed = EmergencyAccess.objects.filter(pk=emergency.pk, reviewed_at__isnull=True).update(
        reviewed_by=reviewer, reviewed_at=now or timezone.now(), review_note=note.strip()
    )
    return changed == 1
