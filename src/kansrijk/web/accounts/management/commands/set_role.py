"""Set a user's role and organisation from the command line: the bootstrap of the first
administrator (after ``createsuperuser``) and the operator's way round four eyes when there is
no second account manager yet. Whoever runs it has shell access to the server; the change is
kept in the user's history with the reason "command line"."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.web.accounts.models import Organisation, User
from kansrijk.web.accounts.roles import Role


class Command(BaseCommand):
    help = "Set a user's role (and organisation); kept in the user's change history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--organisation", help="the organisation's exact name or id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user {options['username']!r}") from None
        ref = options["organisation"]
        if ref:
            found = Organisation.objects.filter(name=ref) | (
                Organisation.objects.filter(pk=int(ref))
                if ref.isdigit()
                else Organisation.objects.none()
            )
            if found.count() != 1:
                raise CommandError(f"no single organisation {ref!r}")
            user.organisation = found.get()
        user.role = options["role"]
        user._change_reason = "command line"  # type: ignore[attr-defined]  # simple_history
        user.save()
        self.stdout.write(f"{user.username}: {user.get_role_display()}, {user.organisation or '-'}")
