"""Verify the care audit log's hash chain against the signed checkpoints (the command behind
`kansrijk audit verify`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.web.audit.log import parse_anchor, verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and compare it with the last signed checkpoint; "
        "fail with what was changed, removed or inserted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            default="",
            help="a head recorded earlier (SEQUENCE:HASH, as printed): it must still be there",
        )
        parser.add_argument(
            "--no-checkpoints",
            action="store_true",
            help="skip the comparison with the checkpoints (say so explicitly)",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="fail on warnings too (no checkpoint to compare with, a missing trigger)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchor = parse_anchor(options["expect_head"]) if options["expect_head"] else None
        except ValueError as error:
            raise CommandError(f"--expect-head: {error}", returncode=2) from None
        result = verify(expect_head=anchor, checkpoints=not options["no_checkpoints"])
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"  {problem.kind}: {problem.message}")
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
        if options["strict"] and result.warnings:
            raise CommandError(f"{len(result.warnings)} warning(s) and --strict")
