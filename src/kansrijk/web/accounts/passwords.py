"""Passwords are set by their owner only: Django's reset flow (a one-use link by e-mail) for new
accounts and forgotten passwords, the change form for signed-in users. No administrator can
set or read one; new accounts get an unusable password."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest

from kansrijk.web.accounts.models import User

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
EMAIL_TEMPLATE = "accounts/password_reset_email.txt"


class AccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for active accounts that have no password yet (new accounts
    set their first password through the same link). The page after it says the same whether
    or not an account exists."""

    def get_users(self, email: str) -> Iterator[User]:
        matches = User.objects.filter(email__iexact=email, is_active=True)
        return (u for u in matches if u.email.casefold() == email.casefold())


class _OneAccountForm(AccountPasswordResetForm):
    """The reset mail for one given account (others sharing its address get nothing)."""

    def __init__(self, user: User) -> None:
        super().__init__({"email": user.email})
        self.account = user

    def get_users(self, email: str) -> Iterator[User]:
        return iter([self.account])


def send_set_password_link(request: HttpRequest, user: User) -> bool:
    """Mail ``user`` a one-use link to set their password; False when they have no e-mail
    address or are inactive."""
    if not user.email or not user.is_active:
        return False
    form = _OneAccountForm(user)
    if not form.is_valid():
        return False
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name=SUBJECT_TEMPLATE,
        email_template_name=EMAIL_TEMPLATE,
    )
    return True
