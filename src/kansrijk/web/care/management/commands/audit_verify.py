"""Verify the care audit log's hash chain (the same check as `kansrijk audit verify`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kansrijk.web.care.audit import verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain; fail with the first changed, removed or inserted entry."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"  {problem.kind}: {problem.message}")
            raise CommandError(result.summary())
        self.stdout.write(result.summary())
