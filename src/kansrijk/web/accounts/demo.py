"""Demo accounts: one per role (two administrators, for four-eyes approval), with a shared,
published password. Demo data only."""

from __future__ import annotations

from dataclasses import dataclass

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import OrganisationType, Role

#: Printed by `kansrijk serve` on first start; never use the demo in production.
DEMO_PASSWORD = "kansrijk-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str  # municipality code, or an organisation name created if missing
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount(
        "programma", "Pim", "Programma", Role.PROGRAMME_STAFF, "Landelijk programma Kansrijke Start"
    ),
    DemoAccount("coordinator.amsterdam", "Cor", "de Vries", Role.COORDINATOR, "GM0363"),
    DemoAccount("beleid.utrecht", "Bo", "Jansen", Role.POLICY_ADVISOR, "GM0344"),
    DemoAccount("verloskundige", "Vera", "Bakker", Role.PROFESSIONAL, "Verloskundigenpraktijk 1"),
    DemoAccount("analist", "Ana", "Lyse", Role.MONITOR_ANALYST, "RIVM"),
    # Two administrators (account managers), so that the four-eyes approval of a role that
    # sees client data can be tried: one requests, the other approves. Neither is a superuser
    # (that flag comes only from `kansrijk manage createsuperuser`).
    DemoAccount(
        "beheerder", "Ben", "Beheer", Role.ADMINISTRATOR, "Landelijk programma Kansrijke Start"
    ),
    DemoAccount(
        "beheerder2",
        "Bea",
        "Tweede",
        Role.ADMINISTRATOR,
        "Landelijk programma Kansrijke Start",
    ),
)


def _organisation(ref: str) -> Organisation:
    if ref.startswith("GM") and ref[2:].isdigit():
        return Organisation.objects.get(type=OrganisationType.MUNICIPALITY, municipality_code=ref)
    existing = Organisation.objects.filter(name=ref).first()
    if existing is not None:
        return existing
    return Organisation.objects.create(name=ref, type=OrganisationType.NATIONAL)


def load() -> list[DemoAccount]:
    """Create the demo accounts (idempotent); returns them for printing."""
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        user = User(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=f"{account.username}@example.org",
            role=account.role,
            organisation=_organisation(account.organisation),
            is_superuser=account.superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return list(DEMO_ACCOUNTS)
