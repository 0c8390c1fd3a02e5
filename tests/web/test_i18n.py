"""The Dutch catalogue is complete and its compiled form is current."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "src" / "kansrijk" / "web" / "locale"
PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) per entry of a .po file, joining continued lines."""
    out = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[0\])\s+"(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            out.append((fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy))
    return out


def test_every_message_has_a_dutch_translation() -> None:
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, f"{len(missing)} untranslated or fuzzy: {missing[:10]}"


def test_compiled_catalogue_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as a, MO.open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (  # type: ignore[attr-defined]
            "run `make messages` to recompile the Dutch catalogue"
        )


def test_every_message_of_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """What `make messages` would add: Django's makemessages over a copy of the web app
    (code and templates; the catalogue copied too) finds no msgid the catalogue lacks."""
    web = LOCALE.parent
    copy = tmp_path / "web"
    shutil.copytree(web, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "kansrijk.cli", "manage", "makemessages", "-l", "nl",
         "--no-obsolete", "--no-location"],
        cwd=copy,
        env={**os.environ, "KANSRIJK_DATA_DIR": str(tmp_path / "data")},
        check=True,
        capture_output=True,
    )  # fmt: skip
    ours = {m for m, _, _ in _entries(PO.read_text(encoding="utf-8"))}
    found = _entries((copy / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text("utf-8"))
    new = sorted({m for m, _, _ in found} - ours)
    assert not new, f"{len(new)} msgids missing from the catalogue (`make messages`): {new[:10]}"
