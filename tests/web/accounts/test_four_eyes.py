"""Account management: only account managers change other accounts, and a change that gives
client-data access waits for a second, different account manager."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from kansrijk.web.accounts import changes
from kansrijk.web.accounts.models import AccountChangeRequest, ChangeStatus, User
from kansrijk.web.accounts.roles import Role
from tests.web import factories as f
from tests.web.accounts.helpers import change_data, manager, midwifery

pytestmark = pytest.mark.django_db

CHANGE_LIST = "admin:accounts_accountchangerequest_changelist"


def _decide(client: object, action: str, request: AccountChangeRequest) -> object:
    return client.post(  # type: ignore[attr-defined]
        reverse(CHANGE_LIST), {"action": action, "_selected_action": [request.pk]}
    )


def test_giving_a_client_data_role_waits_for_a_second_manager() -> None:
    first, second = manager(), manager()
    advisor = f.user(role=Role.POLICY_ADVISOR)
    practice = midwifery()
    client = f.signed_in(first)
    url = reverse("admin:accounts_user_change", args=[advisor.pk])
    response = client.post(
        url, change_data(advisor, role=Role.PROFESSIONAL, organisation=practice.pk)
    )
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.role == Role.POLICY_ADVISOR  # not applied yet
    request = AccountChangeRequest.objects.get(user=advisor)
    assert (request.role_before, request.role_after) == (Role.POLICY_ADVISOR, Role.PROFESSIONAL)
    assert request.organisation_after == practice and request.requested_by == first
    # The requester cannot approve their own request.
    _decide(client, "approve", request)
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING
    # While pending, the role and organisation are read-only for everyone.
    page = f.signed_in(second).get(url).content.decode()
    assert 'name="role"' not in page and 'name="organisation"' not in page
    # A second account manager approves: only now is the change applied, and it is kept.
    _decide(f.signed_in(second), "approve", request)
    request.refresh_from_db()
    advisor.refresh_from_db()
    assert request.status == ChangeStatus.APPROVED and request.decided_by == second
    assert request.decided_at is not None
    assert (advisor.role, advisor.organisation) == (Role.PROFESSIONAL, practice)
    latest = advisor.history.latest()  # type: ignore[attr-defined]
    assert latest.history_user == second and latest.role == Role.PROFESSIONAL
    listing = f.signed_in(first).get(reverse(CHANGE_LIST)).content.decode()
    assert advisor.username in listing


def test_rejected_request_changes_nothing_and_is_kept() -> None:
    first, second = manager(), manager()
    professional = f.user(role=Role.PROFESSIONAL)
    old_org = professional.organisation_id
    f.signed_in(first).post(
        reverse("admin:accounts_user_change", args=[professional.pk]),
        change_data(professional, organisation=midwifery().pk),
    )
    request = AccountChangeRequest.objects.get(user=professional)
    _decide(f.signed_in(second), "reject", request)
    request.refresh_from_db()
    professional.refresh_from_db()
    assert request.status == ChangeStatus.REJECTED and request.decided_by == second
    assert professional.organisation_id == old_org
    assert AccountChangeRequest.objects.count() == 1


def test_the_account_holder_cannot_approve_their_own_promotion() -> None:
    first, candidate = manager(), manager()
    candidate_advisor = f.user(role=Role.POLICY_ADVISOR)
    request = changes.request_change(
        first,
        candidate_advisor,
        changes.Access.of(candidate_advisor),
        changes.Access(Role.PROFESSIONAL, candidate_advisor.organisation_id, "x@example.org"),
    )
    with pytest.raises(changes.PermissionDenied):
        changes.approve(candidate_advisor, request)  # holds no permission at all
    with pytest.raises(changes.PermissionDenied):
        changes.approve(first, request)
    changes.approve(candidate, request)
    candidate_advisor.refresh_from_db()
    assert candidate_advisor.role == Role.PROFESSIONAL


def test_a_change_made_since_the_request_blocks_its_approval() -> None:
    first, second = manager(), manager()
    advisor = f.user(role=Role.POLICY_ADVISOR)
    request = changes.request_change(
        first,
        advisor,
        changes.Access.of(advisor),
        changes.Access(Role.COORDINATOR, advisor.organisation_id, advisor.email),
    )
    User.objects.filter(pk=advisor.pk).update(email="other@example.org")
    with pytest.raises(changes.PermissionDenied):
        changes.approve(second, request)


def test_a_change_without_client_data_applies_at_once() -> None:
    first = manager()
    professional = f.user(role=Role.PROFESSIONAL)
    f.signed_in(first).post(
        reverse("admin:accounts_user_change", args=[professional.pk]),
        change_data(professional, role=Role.POLICY_ADVISOR, first_name="Pia"),
    )
    professional.refresh_from_db()
    assert professional.role == Role.POLICY_ADVISOR and professional.first_name == "Pia"
    assert not AccountChangeRequest.objects.exists()


def test_moving_a_client_data_user_or_their_email_needs_approval() -> None:
    assert changes.needs_approval(
        changes.Access(Role.PROFESSIONAL, 1, "a@x.nl"),
        changes.Access(Role.PROFESSIONAL, 2, "a@x.nl"),
    )
    assert changes.needs_approval(
        changes.Access(Role.PROFESSIONAL, 1, "a@x.nl"),
        changes.Access(Role.PROFESSIONAL, 1, "b@x.nl"),
    )
    assert changes.needs_approval(
        changes.Access(Role.PROGRAMME_STAFF, 1, ""), changes.Access(Role.ADMINISTRATOR, 1, "")
    )
    assert not changes.needs_approval(
        changes.Access(Role.PROFESSIONAL, 1, ""), changes.Access(Role.MONITOR_ANALYST, 2, "")
    )
    assert changes.needs_approval(None, changes.Access(Role.COORDINATOR, 1, ""))
    assert not changes.needs_approval(None, changes.Access(Role.POLICY_ADVISOR, 1, ""))


def test_new_accounts_have_no_password_and_wait_for_approval_with_client_data() -> None:
    first, second = manager(), manager()
    client = f.signed_in(first)
    practice = midwifery()
    add = reverse("admin:accounts_user_add")
    assert 'name="password1"' not in client.get(add).content.decode()
    data = {
        "username": "nieuw",
        "first_name": "Nina",
        "last_name": "Nieuw",
        "email": "nina@example.org",
        "organisation": practice.pk,
        "role": Role.PROFESSIONAL,
        "password1": "chosen by the admin 123",
        "password2": "chosen by the admin 123",
        "is_superuser": "on",
    }
    assert client.post(add, data).status_code == 302
    created = User.objects.get(username="nieuw")
    assert not created.has_usable_password() and not created.is_superuser
    assert not created.is_active and created.role == "" and created.organisation is None
    assert len(mail.outbox) == 0
    request = AccountChangeRequest.objects.get(user=created)
    _decide(f.signed_in(second), "approve", request)
    created.refresh_from_db()
    assert created.is_active and created.role == Role.PROFESSIONAL
    assert created.organisation == practice and created.email == "nina@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_new_account_without_client_data_is_active_and_gets_a_link() -> None:
    client = f.signed_in(manager())
    data = {
        "username": "analist2",
        "email": "ana@example.org",
        "organisation": f.organisation().pk,
        "role": Role.MONITOR_ANALYST,
    }
    assert client.post(reverse("admin:accounts_user_add"), data).status_code == 302
    created = User.objects.get(username="analist2")
    assert created.is_active and created.role == Role.MONITOR_ANALYST
    assert not created.has_usable_password()
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_role_follows_groups_both_ways() -> None:
    user = manager()
    assert user.has_perm("accounts.manage_accounts") and user.is_staff
    user.role = Role.POLICY_ADVISOR
    user.save()
    user = User.objects.get(pk=user.pk)  # fresh permission cache
    assert not user.groups.exists() and not user.is_staff
    assert not user.has_perm("accounts.manage_accounts")


def test_first_administrator_is_set_on_the_command_line() -> None:
    from io import StringIO

    from django.core.management import call_command

    root = f.user(role="", is_superuser=True, username="root")
    org = f.organisation(name="Landelijk programma")
    call_command("set_role", "root", "administrator", "--organisation", org.name, stdout=StringIO())
    root.refresh_from_db()
    assert (root.role, root.organisation) == (Role.ADMINISTRATOR, org)
    assert root.history.first().history_change_reason == "command line"  # type: ignore[attr-defined]
    assert User.objects.get(pk=root.pk).has_perm("accounts.manage_accounts")


def test_account_managers_cannot_redirect_a_superusers_mail_or_second_factor() -> None:
    admin = manager()
    root = f.user(role="", is_superuser=True)
    f.totp_device(root)
    client = f.signed_in(admin)
    url = reverse("admin:accounts_user_change", args=[root.pk])
    assert 'name="email"' not in client.get(url).content.decode()
    client.post(url, change_data(root, email="attacker@example.org", is_active=""))
    root.refresh_from_db()
    assert root.email != "attacker@example.org" and root.is_active
    with pytest.raises(changes.PermissionDenied):
        changes.check_allowed(admin, root, {"email"})
    with pytest.raises(changes.PermissionDenied):
        changes.revoke_second_factor(admin, root, "phone lost, checked by phone call")
