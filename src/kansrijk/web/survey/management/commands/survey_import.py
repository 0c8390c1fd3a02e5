"""``survey_import <edition> <file> [--apply]``: check and preview, or import, responses.

Without ``--apply`` this is a dry run: the file is read within the same limits as the web
import, checked row by row, and what it would change is printed; nothing is written. With
``--apply`` a valid file is written in one transaction (all rows or nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kansrijk.web.survey import imports, reading
from kansrijk.web.survey.models import QuestionSet


class Command(BaseCommand):
    help = (
        "Check questionnaire responses (the export layout, CSV or XLSX) and show what importing"
        " them would change; with --apply, import them as submitted. Nothing is written unless"
        " every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edition", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--apply",
            action="store_true",
            help="write the responses (default: a dry run that only shows the changes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        edition: int = options["edition"]
        path: Path = options["file"]
        question_set = QuestionSet.objects.filter(edition=edition).first()
        if question_set is None:
            raise CommandError(f"no question set for edition {edition} (run survey_install)")
        limits = imports.limits_for(question_set)
        try:
            size = path.stat().st_size
            problem = reading.size_problem(size, limits)
            if problem:  # refused before it is read
                raise CommandError(f"{path}: {problem}")
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        checked = imports.check_file(question_set, content)
        if not checked.ok:
            for line in imports.problems_text(checked.problems):
                self.stderr.write(f"{path}: {line}")
            raise CommandError(f"nothing imported: {len(checked.problems)} problem(s)")
        if not options["apply"]:
            self._preview(question_set, checked)
            return
        created, updated = imports.write(question_set, checked, None)
        self.stdout.write(
            f"imported {created + updated} responses into edition {edition}"
            f" ({created} new, {updated} replaced)"
        )

    def _preview(self, question_set: QuestionSet, checked: imports.Checked) -> None:
        preview = imports.preview(question_set, checked)
        for m in preview.municipalities:
            now = m.current or "new"
            self.stdout.write(
                f"row {m.row}: {m.code} {m.name} ({now}): {m.answers} answers, {m.changed} change"
            )
        for q in preview.questions:
            self.stdout.write(f"question {q.code}: {q.answers} answers, {q.changed} change")
        self.stdout.write(
            f"dry run: would import {preview.created + preview.replaced} responses into edition"
            f" {question_set.edition} ({preview.created} new, {preview.replaced} replaced,"
            f" {preview.changed_answers} answers changed); nothing was written. Add --apply to"
            " import."
        )
