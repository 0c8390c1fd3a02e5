"""Load the demo data: coalition registry, questionnaires 2019-2022, accounts, and publish
the programme indicators. Refuses a database that already holds users."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kansrijk.web.accounts import demo as accounts_demo
from kansrijk.web.accounts.models import User
from kansrijk.web.coalitions import demo as coalitions_demo
from kansrijk.web.demo_plan import demo_plan
from kansrijk.web.programme.services import publish_programme_indicators
from kansrijk.web.survey import demo as survey_demo


class Command(BaseCommand):
    help = "Load the demo data into an empty database and publish the programme indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="load even if users exist")

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists() and not options["force"]:
            raise CommandError("the database already holds users; use --force to load anyway")
        started = time.perf_counter()
        plan = demo_plan()
        with transaction.atomic():
            coalitions_demo.load(plan)
            survey_demo.load(plan)
            accounts = accounts_demo.load()
        out = publish_programme_indicators()
        self.stdout.write(
            f"Demo data loaded in {time.perf_counter() - started:.1f} s; "
            f"programme indicators published to {out}"
        )
        self.stdout.write(f"Demo accounts (password {accounts_demo.DEMO_PASSWORD!r}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<24} {account.role.label}")
