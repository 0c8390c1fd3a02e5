"""Verify the care audit log's hash chain (the same check as `kansrijk audit verify`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.web.care.audit import parse_anchor, verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain; fail with the first changed, removed or inserted entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head", default="", help="a head recorded earlier (SEQUENCE:HASH)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchor = parse_anchor(options["expect_head"]) if options["expect_head"] else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        result = verify(expect_head=anchor)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"  {problem.kind}: {problem.message}")
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
