"""Load the demo data: coalition registry, questionnaires 2019-2022, accounts, the Amsterdam
coalition's care clients (fictitious families), a few practices for the practice library,
a small study round of the experiences study with approved quotes, publish the programme
indicators and the quotes and, when the monitor directory holds no results yet, build
demo monitor results from synthetic data (about 20 s; skipped with ``--no-monitor`` or
``KANSRIJK_DEMO_MONITOR=0``). Refuses a database that already holds users."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kansrijk.web.accounts import demo as accounts_demo
from kansrijk.web.accounts.models import User
from kansrijk.web.accounts.roles import Role
from kansrijk.web.care import demo as care_demo
from kansrijk.web.coalitions import demo as coalitions_demo
from kansrijk.web.demo_plan import demo_plan
from kansrijk.web.experiences import demo as experiences_demo
from kansrijk.web.experiences.publishing import publish_quotes
from kansrijk.web.monitor.demo import build_demo_results, has_results
from kansrijk.web.monitor.store import monitor_dir
from kansrijk.web.practices import demo as practices_demo
from kansrijk.web.programme.services import publish_programme_indicators
from kansrijk.web.survey import demo as survey_demo


class Command(BaseCommand):
    help = (
        "Load the demo data into an empty database, publish the programme indicators and build"
        " demo monitor results when there are none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="load even if users exist")
        parser.add_argument(
            "--no-monitor",
            action="store_true",
            help="do not build demo monitor results (synthetic data) when there are none",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists() and not options["force"]:
            raise CommandError("the database already holds users; use --force to load anyway")
        started = time.perf_counter()
        plan = demo_plan()
        with transaction.atomic():
            coalitions_demo.load(plan)
            survey_demo.load(plan)
            accounts = accounts_demo.load()
            care_accounts = care_demo.load()
            practices_demo.load()
            researcher = experiences_demo.load()
        out = publish_programme_indicators()
        quotes = publish_quotes()
        self.stdout.write(
            f"Demo data loaded in {time.perf_counter() - started:.1f} s; "
            f"programme indicators published to {out}, {quotes.quotes} quote(s) of the "
            f"experiences study to {quotes.out}"
        )
        if settings.KANSRIJK_DEMO_MONITOR and not options["no_monitor"]:
            if has_results(monitor_dir()):
                self.stdout.write(f"Monitor results found in {monitor_dir()}")
            else:
                build_demo_results(monitor_dir(), echo=self.stdout.write)
        self.stdout.write(f"Demo accounts (password {accounts_demo.DEMO_PASSWORD!r}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<24} {account.role.label}")
        if researcher is not None:
            self.stdout.write(
                f"  {researcher:<24} {Role.MONITOR_ANALYST.label} (second researcher)"
            )
        self.stdout.write("Care professionals of the Amsterdam coalition (fictitious families):")
        for care_account in care_accounts:
            self.stdout.write(f"  {care_account.username:<24} {care_account.organisation}")
