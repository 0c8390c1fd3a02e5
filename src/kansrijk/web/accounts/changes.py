"""Account changes by account managers: what nobody may change on their own account, which
changes need a second account manager's approval (four eyes), and revoking a second factor.

The admin calls these; they check the acting user themselves, so a crafted POST gets the same
answer as the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts.models import (
    AccountChangeRequest,
    ChangeStatus,
    SecondFactorRevocation,
    User,
)
from kansrijk.web.accounts.roles import CLIENT_DATA_ROLES

MANAGE_PERMISSION = "accounts.manage_accounts"
#: Fields nobody changes on their own account (and is_superuser/is_staff/groups/permissions
#: nobody changes through the admin at all: they follow the role or the command line).
OWN_LOCKED_FIELDS = ("role", "organisation", "email", "is_active")
NEVER_EDITABLE = ("is_superuser", "is_staff", "password")


def can_manage_accounts(actor: object) -> bool:
    """Whether ``actor`` holds the account-management permission (and is signed in)."""
    has_perm = getattr(actor, "has_perm", None)
    signed_in = bool(getattr(actor, "is_authenticated", False))
    return bool(signed_in and has_perm is not None and has_perm(MANAGE_PERMISSION))


@dataclass(frozen=True)
class Access:
    """The part of an account that decides what client data it reaches."""

    role: str
    organisation_id: int | None
    email: str

    @classmethod
    def of(cls, user: User) -> Access:
        return cls(user.role, user.organisation_id, user.email)


def needs_approval(before: Access | None, after: Access) -> bool:
    """Four eyes when the account ends up with a client-data role and its role, organisation
    or e-mail address (where password-reset links go) changes, or when it is new."""
    if after.role not in CLIENT_DATA_ROLES:
        return False
    return before is None or before != after


def check_allowed(actor: User, target: User | None, changed: set[str]) -> None:
    """Refuse (PermissionDenied) what no form may do: changing one's own role, organisation,
    e-mail or active flag, any change by someone without the account-management permission,
    the superuser and staff flags (only the command line and the role set them), and a
    superuser's role, organisation, e-mail or status unless the actor is one too (else an
    account manager could send a superuser's reset link to themselves)."""
    if not can_manage_accounts(actor):
        raise PermissionDenied(_("Managing accounts needs the account-management permission."))
    if changed & set(NEVER_EDITABLE):
        raise PermissionDenied(_("The superuser and staff flags cannot be changed here."))
    if target is not None and target.pk == actor.pk and changed & set(OWN_LOCKED_FIELDS):
        raise PermissionDenied(_("Nobody can change their own role, organisation or status."))
    if target is not None and target.is_superuser and not actor.is_superuser and changed:
        raise PermissionDenied(_("Only a superuser changes a superuser's account."))


def pending_request(user: User) -> AccountChangeRequest | None:
    return AccountChangeRequest.objects.filter(user=user, status=ChangeStatus.PENDING).first()


def request_change(
    actor: User, user: User, before: Access | None, after: Access
) -> AccountChangeRequest:
    """Store ``after`` as a pending request for ``user`` (already saved with ``before``)."""
    if pending_request(user) is not None:
        raise PermissionDenied(_("This account already has a change awaiting approval."))
    return AccountChangeRequest.objects.create(
        user=user,
        role_before=before.role if before else "",
        role_after=after.role,
        organisation_before_id=before.organisation_id if before else None,
        organisation_after_id=after.organisation_id,
        email_before=before.email if before else "",
        email_after=after.email,
        activates=before is None,
        requested_by=actor,
    )


def _check_decider(actor: User, change: AccountChangeRequest) -> None:
    if not can_manage_accounts(actor):
        raise PermissionDenied(_("Managing accounts needs the account-management permission."))
    if actor.pk in (change.requested_by_id, change.user_id):
        raise PermissionDenied(
            _("A second account manager decides, not the requester or the account holder.")
        )
    if change.status != ChangeStatus.PENDING:
        raise PermissionDenied(_("This request has already been decided."))


@transaction.atomic
def approve(actor: User, change: AccountChangeRequest, note: str = "") -> None:
    """Apply the change (four eyes: ``actor`` is neither the requester nor the account
    holder). Refused when the account changed since the request."""
    change = AccountChangeRequest.objects.select_for_update().get(pk=change.pk)
    _check_decider(actor, change)
    user = User.objects.select_for_update().get(pk=change.user_id)
    current = Access.of(user)
    expected = Access(change.role_before, change.organisation_before_id, change.email_before)
    if current != expected:
        raise PermissionDenied(_("The account changed after the request; reject it."))
    user.role = change.role_after
    user.organisation_id = change.organisation_after_id
    user.email = change.email_after
    if change.activates:
        user.is_active = True
    user._history_user = actor  # type: ignore[attr-defined]  # simple_history's who
    user.save()
    _decide(actor, change, ChangeStatus.APPROVED, note)


@transaction.atomic
def reject(actor: User, change: AccountChangeRequest, note: str = "") -> None:
    change = AccountChangeRequest.objects.select_for_update().get(pk=change.pk)
    _check_decider(actor, change)
    _decide(actor, change, ChangeStatus.REJECTED, note)


def _decide(actor: User, change: AccountChangeRequest, status: str, note: str) -> None:
    change.status = status
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note[:300]
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def revoke_second_factor(actor: User, user: User, reason: str) -> SecondFactorRevocation | None:
    """Delete every TOTP and static (backup code) device of ``user`` and record who, when,
    why and which; the user enrols again themselves at their next sign-in. Returns None when
    there was nothing to revoke."""
    if not can_manage_accounts(actor):
        raise PermissionDenied(_("Managing accounts needs the account-management permission."))
    if actor.pk == user.pk:
        raise PermissionDenied(_("Another account manager revokes your second factor."))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser changes a superuser's account."))
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise PermissionDenied(_("Give the reason in at least 10 characters."))
    totp = list(TOTPDevice.objects.filter(user=user))
    static = list(StaticDevice.objects.filter(user=user))
    if not totp and not static:
        return None
    names = [f"TOTP {d.name}" for d in totp] + [f"backup codes {d.name}" for d in static]
    for device in [*totp, *static]:
        device.delete()
    return SecondFactorRevocation.objects.create(
        user=user, revoked_by=actor, reason=reason[:300], devices=", ".join(names)[:300]
    )
