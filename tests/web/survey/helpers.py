"""Helpers shared by the questionnaire tests."""

from __future__ import annotations

from django.test import Client

from kansrijk.web.accounts.models import User
from tests.web import factories as f


def client_for(account: User) -> Client:
    """A signed-in client that asks for English pages (assertions read the msgids)."""
    return f.signed_in(account, Client(headers={"accept-language": "en"}))
