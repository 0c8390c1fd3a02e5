"""``manage.py experiences_publish [--round ID ...] [--out DIR]``: publish the approved quotes
of the study rounds for the reports' "Ervaringen" section (``experiences.publishing``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.publication import DisclosureError
from kansrijk.web.experiences.publishing import publish_quotes


class Command(BaseCommand):
    help = (
        "Publish the approved quotes of the experiences study (for `kansrijk report "
        "national|local --experiences DIR`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--round",
            type=int,
            action="append",
            dest="rounds",
            help="a study round's id (repeat for several; default: every round with an "
            "approved quote)",
        )
        parser.add_argument(
            "--out", type=Path, help="output directory (default: KANSRIJK_RESULTS_DIR/experiences)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = publish_quotes(options["rounds"], options["out"])
        except (LookupError, DisclosureError, ValueError) as error:
            raise CommandError(str(error)) from error
        if done.left_out:
            self.stderr.write(
                f"left out {done.left_out} approved quote(s) that no longer pass the checks "
                "(consent, consensus, identifying details)"
            )
        self.stdout.write(
            f"Published {done.quotes} quote(s) of {done.rounds} round(s) to {done.out}"
        )
