"""``manage.py programme_publish [--years 2019-2021]``: compute and publish the programme
indicators from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.publication import DisclosureError
from kansrijk.web.programme.services import DEFAULT_YEARS, publish_programme_indicators


def parse_years(text: str) -> tuple[int, ...]:
    """ "2019-2021" or "2019,2021" -> the years."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            return tuple(range(first, last + 1))
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise CommandError(f"--years: expected e.g. 2019-2021 or 2019,2021, not {text!r}") from None


class Command(BaseCommand):
    help = "Compute the programme indicators (1-6 and 9) and publish them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            default=f"{DEFAULT_YEARS[0]}-{DEFAULT_YEARS[-1]}",
            help="years to compute, e.g. 2019-2021 or 2019,2021 (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = parse_years(options["years"])
        try:
            out = publish_programme_indicators(years)
        except (ValueError, LookupError, DisclosureError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Published the programme indicators for {years[0]}-{years[-1]} to {out}")
