"""Write a signed checkpoint of the audit chain head outside the database (the command behind
`kansrijk audit checkpoint`; run it from cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kansrijk.web.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain head to KANSRIJK_AUDIT_CHECKPOINT_DIR "
        "(nothing when the head has not moved); fail when the chain was cut back."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = checkpoints.directory()
        try:
            point, new = checkpoints.write(folder)
        except checkpoints.CheckpointError as error:
            raise CommandError(f"no checkpoint written: {error}") from None
        if point is None:
            self.stdout.write("the audit log is empty: no checkpoint written")
        elif new:
            self.stdout.write(
                f"checkpoint {point.number} written to {folder / checkpoints.FILENAME}: "
                f"entry {point.sequence:,} ({point.entries:,} entries) at {point.when}"
            )
        else:
            self.stdout.write(
                f"no new entries since checkpoint {point.number} of {point.when} (entry "
                f"{point.sequence:,}): nothing written"
            )
