"""Backup codes: replace every stored code by its keyed digest (`accounts.backup.digest`).

Codes stored before this migration are ten characters of the code alphabet; digests are
sixteen hex digits, so a code is never mistaken for a digest. Not reversible: the codes are
gone (users generate new ones after their next login if they want to see them again).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def to_digests(apps: Any, schema_editor: Any) -> None:
    from kansrijk.web.accounts.backup import digest  # noqa: PLC0415

    token_model = apps.get_model("otp_static", "StaticToken")
    for token in token_model.objects.all().iterator():
        if len(token.token) == 10:
            token.token = digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_account_management"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(to_digests, migrations.RunPython.noop)]
