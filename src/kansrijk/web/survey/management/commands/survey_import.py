"""``survey_import <edition> <file>``: import responses from CSV or Excel, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.web.survey import spreadsheet
from kansrijk.web.survey.models import QuestionSet


class Command(BaseCommand):
    help = (
        "Import questionnaire responses (the export layout, CSV or XLSX) as submitted. The whole"
        " file is checked first; nothing is written unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edition", type=int)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        edition: int = options["edition"]
        path: Path = options["file"]
        question_set = QuestionSet.objects.filter(edition=edition).first()
        if question_set is None:
            raise CommandError(f"no question set for edition {edition} (run survey_install)")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        result = spreadsheet.import_file(question_set, content, None)
        if not result.ok:
            for line in spreadsheet.problems_text(result.problems):
                self.stderr.write(f"{path}: {line}")
            raise CommandError(f"nothing imported: {len(result.problems)} problem(s)")
        self.stdout.write(
            f"imported {result.created + result.updated} responses into edition {edition}"
            f" ({result.created} new, {result.updated} replaced)"
        )
