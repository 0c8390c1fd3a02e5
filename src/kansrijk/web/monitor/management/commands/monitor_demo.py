"""Build demo monitor results (synthetic data) into the monitor directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.web.monitor.demo import build_demo_results, has_results
from kansrijk.web.monitor.store import monitor_dir


class Command(BaseCommand):
    help = (
        "Generate a small synthetic Netherlands, run the monitor on it and publish the results "
        "in KANSRIJK_MONITOR_DIR (about 20 s). Refuses a directory that already holds results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, help="another directory than KANSRIJK_MONITOR_DIR")
        parser.add_argument("--force", action="store_true", help="replace existing results")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"] or monitor_dir()
        if has_results(out) and not options["force"]:
            raise CommandError(f"{out} already holds monitor results; use --force to replace them")
        build_demo_results(out, echo=self.stdout.write)
