"""Delete the transcripts (with their fragments, codings, consensus and memos) of the study
rounds whose retention date has passed (``experiences.services.apply_retention``); each goes
into the deletion register and the audit log. ``--dry-run`` only reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kansrijk.web.experiences.services import apply_retention


class Command(BaseCommand):
    help = "Delete study transcripts past their round's retention date; register each one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="change nothing, only report")
        parser.add_argument("--today", help="the day to plan for (YYYY-MM-DD; default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError("--today: expected YYYY-MM-DD") from None
        result = apply_retention(today or timezone.localdate(), dry_run=options["dry_run"])
        prefix = "dry run, nothing changed: " if options["dry_run"] else ""
        self.stdout.write(prefix + result.summary())
