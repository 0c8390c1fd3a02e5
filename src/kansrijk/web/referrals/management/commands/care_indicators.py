"""Publish the process indicators of care coordination (see `kansrijk.web.referrals.indicators`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kansrijk.web.referrals.indicators import publish_process_indicators


class Command(BaseCommand):
    help = "Compute the process indicators, hide small numbers and publish them (Parquet, CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day overdue is judged on (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError("--today: expected YYYY-MM-DD") from None
        for path in publish_process_indicators(today or timezone.localdate()):
            self.stdout.write(f"wrote {path}")
