"""``survey_install [edition ...] [--open EDITION]``: install the built-in question sets."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kansrijk.web.survey.questions import EDITIONS, install_all


class Command(BaseCommand):
    help = (
        "Install the built-in question sets (default: every edition). Installed editions are"
        " left as they are, except for their status when --open is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("editions", nargs="*", type=int, choices=EDITIONS)
        parser.add_argument(
            "--open", type=int, default=None, help="open this edition, close the earlier ones"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        editions = options["editions"] or list(EDITIONS)
        install_all(options["open"], editions)
        self.stdout.write(f"question sets installed: {', '.join(map(str, editions))}")
