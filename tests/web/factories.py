"""Plain factory functions for web tests: organisations, users with roles, signed-in clients."""

from __future__ import annotations

import itertools
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role

PASSWORD = "correct horse battery staple"
_serial = itertools.count(1)


def organisation(
    name: str | None = None,
    type: str = OrganisationType.MUNICIPALITY,
    municipality_code: str = "GM0363",
    **fields: Any,
) -> Organisation:
    n = next(_serial)
    return Organisation.objects.create(
        name=name or f"Organisation {n}",
        type=type,
        municipality_code=municipality_code,
        **fields,
    )


def user(
    role: str = Role.COORDINATOR,
    org: Organisation | None = None,
    username: str | None = None,
    **fields: Any,
) -> User:
    n = next(_serial)
    account = User.objects.create_user(
        username=username or f"user{n}",
        password=PASSWORD,
        role=role,
        organisation=org if org is not None else organisation(),
        **fields,
    )
    return account


def totp_device(account: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=account, name="test", confirmed=True)
    return device


def signed_in(account: User, client: Client | None = None) -> Client:
    """A client logged in as ``account`` with the second factor verified (when it has one)."""
    client = client or Client()
    client.force_login(account)
    if account.needs_two_factor:
        device = TOTPDevice.objects.filter(user=account, confirmed=True).first() or totp_device(
            account
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
