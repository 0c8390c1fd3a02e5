"""Backup codes: ten single-use codes (django-otp static tokens) for when the phone is not at
hand. Shown once when generated; generating new ones replaces the old set.

The database keeps a keyed digest of each code, never the code: a copy of the database (a
backup, a dump, a read-only SQL account) does not give anyone a second factor. The key is
derived from the deployment's SECRET_KEY (Django's ``salted_hmac``); replacing the key makes
the stored codes useless, and users generate new ones after their next login.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from kansrijk.web.accounts.models import User

CODE_COUNT = 10
DEVICE_NAME = "backup codes"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def normalise(code: str) -> str:
    """A typed code without spaces or hyphens, lower case."""
    return "".join(code.split()).replace("-", "").lower()


#: What the digest is for (``salted_hmac``'s key salt): a digest made for another purpose with
#: the same SECRET_KEY never matches.
_DIGEST_SALT = "kansrijk.accounts.backup-code"


def digest(code: str) -> str:
    """What the database stores for ``code`` (typed or shown form): 16 hex digits (64 bits;
    django-otp's token column holds 16 characters) of an HMAC-SHA256 under a key derived from
    SECRET_KEY. A code has 49 bits of chance (10 of 31 letters), so without the key a stored
    digest is no quicker to guess than the code."""
    return salted_hmac(_DIGEST_SALT, normalise(code), algorithm="sha256").hexdigest()[:16]


def _new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(10))


def display(code: str) -> str:
    """``abcdefghjk`` as ``abcde-fghjk`` for reading aloud and typing."""
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def generate(user: User) -> list[str]:
    """Replace ``user``'s backup codes with ten new ones and return them (for showing once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_code() for _ in range(CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=digest(c)) for c in codes])
    return [display(c) for c in codes]


def remaining(user: User) -> int:
    """How many unused backup codes ``user`` has."""
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def device_for(user: User) -> StaticDevice | None:
    device: StaticDevice | None = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device
