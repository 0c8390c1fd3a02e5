"""A deterministic corpus of malformed questionnaire imports (CSV and XLSX), built in memory.

Each case is a file's bytes and a piece of the message it must be refused with. Nothing large is
committed: zip bombs and oversized parts are generated here, from fixed seeds and patterns, when
the tests run. ``python -m tests.web.survey.fuzz_corpus DIR`` writes the corpus to DIR to try the
files by hand (upload them on the import page).
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER: Final = "municipality_code,coalition_status,phb_count,goals,coalition_formed_on"


@dataclass(frozen=True)
class Case:
    name: str  # with the extension a user would upload it under
    build: Callable[[], bytes]
    expected: str  # part of the (English) message the file is refused with


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def _row(*cells: str) -> str:
    """A sheet row of inline strings (None-free), columns A, B, ... of row ``n`` implied."""
    return "<row>" + "".join(f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in cells) + "</row>"


def _sheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


GOOD_ROWS: Final = _row("municipality_code", "coalition_status") + _row("GM0363", "formed")


def _xlsx(
    sheet: str | bytes = _sheet(GOOD_ROWS),
    *,
    shared: str | bytes | None = None,
    styles: str | None = None,
    extra: dict[str, bytes] | None = None,
    skip: frozenset[str] = frozenset(),
    stored: bool = False,
) -> bytes:
    """A minimal workbook; every part can be replaced, added or left out."""
    rels = [f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>']
    if shared is not None:
        rels.append(
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    if styles is not None:
        rels.append(f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>')
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1"'
            f' Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_RELS}">{"".join(rels)}'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    if styles is not None:
        parts["xl/styles.xml"] = styles
    parts |= extra or {}
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in parts.items():
            if name not in skip:
                archive.writestr(name, data)
    return buffer.getvalue()


def _sst(items: str) -> str:
    return f'<?xml version="1.0"?><sst xmlns="{MAIN}">{items}</sst>'


def _encrypted_flag() -> bytes:
    content = bytearray(_xlsx())
    at = content.find(b"PK\x01\x02")  # the first central directory entry: set "encrypted"
    content[at + 8] |= 0x01
    return bytes(content)


def _bad_crc() -> bytes:
    content = bytearray(_xlsx(stored=True))
    at = content.find(b"GM0363")
    content[at] = ord("X")
    return bytes(content)


def _bomb() -> bytes:
    padding = " " * (7 * 1024 * 1024)  # 7 MB of blanks compress about a thousand times
    return _xlsx(_sheet(GOOD_ROWS).replace("<sheetData>", f"{padding}<sheetData>"))


def _lying_size() -> bytes:
    """A zip bomb whose directory claims its sheet unpacks to 1000 bytes."""
    padding = " " * (7 * 1024 * 1024)
    content = bytearray(_xlsx(_sheet(GOOD_ROWS).replace("<sheetData>", f"{padding}<sheetData>")))
    name = b"xl/worksheets/sheet1.xml"
    at = content.find(b"PK\x01\x02")
    while content[at + 46 : at + 46 + len(name)] != name:
        at = content.find(b"PK\x01\x02", at + 4)
    content[at + 24 : at + 28] = (1000).to_bytes(4, "little")
    return bytes(content)


def _big_part() -> bytes:
    return _xlsx(extra={"xl/media/padding.bin": bytes(20 * 1024 * 1024)})


def _many_small_parts() -> bytes:
    rng = random.Random(7)
    return _xlsx(extra={f"xl/media/p{i}.bin": rng.randbytes(16) for i in range(100)})


def _large_total() -> bytes:
    return _xlsx(extra={f"xl/media/p{i}.bin": bytes(900 * 1024) for i in range(20)})


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("answers.csv", HEADER)
    return buffer.getvalue()


def _date_styles() -> str:
    return (
        f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )


def _garbage() -> bytes:
    return random.Random(42).randbytes(4096).replace(b"\x00", b"\x01")


CASES: Final[list[Case]] = [
    # --- CSV ---
    Case("empty.csv", lambda: b"", "The file is empty"),
    Case("blank.csv", lambda: b"\r\n \r\n\t\r\n", "The file is empty"),
    Case("header-only.csv", lambda: _csv(HEADER), "no rows with answers"),
    Case("nul-byte.csv", lambda: _csv(HEADER, "GM0363,formed\x00,1,,"), "NUL byte"),
    Case("utf16.csv", lambda: HEADER.encode("utf-16"), "UTF-16"),
    Case(
        "latin1.csv",
        lambda: _csv(HEADER, "GM0363,formed,1,Caf\u00e9,").replace(b"\xc3\xa9", b"\xe9"),
        "line 2 cannot be read",
    ),
    Case("garbage.csv", _garbage, "cannot be read"),
    Case("million-columns.csv", lambda: b"a," * 1_000_000, "Line 1 is 2000000 characters long"),
    Case(
        "500-columns.csv",
        lambda: _csv(",".join(f"c{i}" for i in range(500))),
        "Row 1 has 500 columns",
    ),
    Case(
        "many-rows.csv", lambda: _csv(HEADER, *["GM0363,formed,1,,"] * 2000), "more than 431 rows"
    ),
    Case(
        "too-large.csv",
        lambda: _csv(HEADER, *["GM0363,formed,1," + "x" * 1000 + ","] * 3000),
        "at most 2.0 MB",
    ),
    Case(
        "unclosed-quote.csv",
        lambda: _csv(HEADER, 'GM0363,formed,1,"never closed'),
        "cannot be read as CSV",
    ),
    Case("stray-quote.csv", lambda: _csv(HEADER, 'GM0363,"formed"x,1,,'), "cannot be read as CSV"),
    Case(
        "huge-field.csv",
        lambda: _csv(HEADER, "GM0363,formed,1," + "y" * 150_000 + ","),
        "Line 2 is",
    ),
    Case(
        "formula-choice.csv",
        lambda: _csv(HEADER, "GM0363,=cmd|' /C calc'!A0,1,,"),
        "unknown option code \u201c=cmd|' /C calc'!A0\u201d",
    ),
    Case(
        "formula-number.csv",
        lambda: _csv(HEADER, "GM0363,formed,@SUM(1+1)*cmd,,"),
        "\u201c@SUM(1+1)*cmd\u201d is not a whole number",
    ),
    Case(
        "wrong-number.csv",
        lambda: _csv(HEADER, "GM0363,formed,twelve,,"),
        "row 2, column phb_count",
    ),
    Case("wrong-date.csv", lambda: _csv(HEADER, "GM0363,formed,1,,31-02-2021"), "is not a date"),
    Case(
        "unknown-column.csv",
        lambda: _csv("municipality_code,colour", "GM0363,blue"),
        "unknown column",
    ),
    Case(
        "unknown-municipality.csv",
        lambda: _csv(HEADER, "GM9999,formed,1,,"),
        "unknown municipality code \u201cGM9999\u201d",
    ),
    Case(
        "duplicate-row.csv",
        lambda: _csv(HEADER, "GM0363,formed,1,,", "GM0363,none,2,,"),
        "GM0363 is on row 2 already",
    ),
    Case(
        "duplicate-column.csv",
        lambda: _csv("municipality_code,goals,goals", "GM0363,a,b"),
        "the column appears twice",
    ),
    Case(
        "no-municipality-column.csv",
        lambda: _csv("goals", "x"),
        "column municipality_code: the column is missing",
    ),
    Case(
        "too-long-text.csv",
        lambda: _csv(HEADER, "GM0363,formed,1," + "z" * 5001 + ","),
        "longer than 5000 characters",
    ),
    Case(
        "out-of-range.csv",
        lambda: _csv("municipality_code,support_website_rating", "GM0363,9"),
        "9 is outside 1 to 5",
    ),
    Case(
        "future-submission.csv",
        lambda: _csv("municipality_code,submitted_at", "GM0363,2999-01-01T00:00:00"),
        "in the future",
    ),
    # --- XLSX: the container ---
    Case("not-a-zip.xlsx", lambda: b"PK\x03\x04" + _garbage(), "not a valid Excel workbook"),
    Case("truncated.xlsx", lambda: _xlsx()[: len(_xlsx()) // 2], "not a valid Excel workbook"),
    Case(
        "ole-encrypted.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024),
        "encrypted Excel file or an old Excel",
    ),
    Case("encrypted-flag.xlsx", _encrypted_flag, "encrypted"),
    Case("bad-crc.xlsx", _bad_crc, "damaged or cut off"),
    Case("zip-bomb.xlsx", _bomb, "looks like a zip bomb"),
    Case("lying-size.xlsx", _lying_size, "damaged or cut off"),
    Case("big-part.xlsx", _big_part, "unpacks to 20.0 MB"),
    Case("many-parts.xlsx", _many_small_parts, "has 105 parts"),
    Case("large-total.xlsx", _large_total, "The Excel file unpacks to"),
    Case("spreadsheet.ods", _ods, "OpenDocument"),
    Case("macros.xlsx", lambda: _xlsx(extra={"xl/vbaProject.bin": b"\x00" * 64}), "macros"),
    Case("plain-zip.xlsx", _plain_zip, "not an Excel workbook"),
    Case(
        "no-sheet.xlsx", lambda: _xlsx(skip=frozenset({"xl/worksheets/sheet1.xml"})), "is missing"
    ),
    # --- XLSX: the sheet ---
    Case(
        "dimension-CV1000000.xlsx",
        lambda: _xlsx(_sheet(GOOD_ROWS, "A1:CV1000000")),
        "declares the range A1:CV1000000",
    ),
    Case(
        "dimension-XFD1048576.xlsx",
        lambda: _xlsx(_sheet(GOOD_ROWS, "A1:XFD1048576")),
        "declares the range A1:XFD1048576",
    ),
    Case(
        "cell-XFD1.xlsx",
        lambda: _xlsx(_sheet('<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>')),
        "column 16384",
    ),
    Case(
        "row-1000000.xlsx",
        lambda: _xlsx(
            _sheet(GOOD_ROWS + '<row r="1000000"><c t="inlineStr"><is><t>x</t></is></c></row>')
        ),
        "value in row 1000000",
    ),
    Case(
        "million-column-header.xlsx",
        lambda: _xlsx(_sheet("<row>" + "<c/>" * 1_000_000 + "</row>")),
        "looks like a zip bomb",
    ),
    Case(
        "wide-header.xlsx",
        lambda: _xlsx(_sheet("<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 1000 + "</row>")),
        "Row 1 has a value in column 51",
    ),
    Case(
        "wide-empty-cells.xlsx",
        lambda: _xlsx(_sheet(("<row>" + "<c/>" * 15_000 + "</row>") * 2)),
        "more than 21600 cells",
    ),
    Case(
        "many-empty-rows.xlsx",
        lambda: _xlsx(_sheet("<row/>" * 200_000), stored=True),
        "XML elements",
    ),
    Case(
        "formula.xlsx",
        lambda: _xlsx(
            _sheet(
                GOOD_ROWS
                + '<row><c t="inlineStr"><is><t>GM0344</t></is></c><c t="str"><f>WEBSERVICE("http://x")</f><v>formed</v></c></row>'
            )
        ),
        "row 3, column coalition_status: the cell holds a formula",
    ),
    Case(
        "excel-error.xlsx",
        lambda: _xlsx(
            _sheet(
                GOOD_ROWS
                + '<row><c t="inlineStr"><is><t>GM0344</t></is></c><c t="e"><v>#N/A</v></c></row>'
            )
        ),
        "Excel error (#N/A)",
    ),
    Case("bad-xml.xlsx", lambda: _xlsx(_sheet(GOOD_ROWS)[:-40]), "is not valid XML"),
    Case(
        "deep-nesting.xlsx",
        lambda: _xlsx(
            _sheet(GOOD_ROWS).replace("<sheetData>", "<x>" * 100 + "</x>" * 100 + "<sheetData>")
        ),
        "nested too deeply",
    ),
    Case(
        "billion-laughs.xlsx",
        lambda: _xlsx(
            shared='<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            + f'<sst xmlns="{MAIN}"><si><t>&lol2;</t></si></sst>'
        ),
        "declares a document type",
    ),
    Case(
        "deep-shared-string.xlsx",
        lambda: _xlsx(shared=_sst("<si>" + "<r><t>a</t></r>" * 5000 + "</si>")),
        "holds too many parts",
    ),
    Case(
        "many-shared-strings.xlsx",
        lambda: _xlsx(shared=_sst("<si><t>x</t></si>" * 30_000)),
        "different texts",
    ),
    Case(
        "shared-string-index.xlsx",
        lambda: _xlsx(
            _sheet(
                GOOD_ROWS
                + '<row><c t="inlineStr"><is><t>GM0344</t></is></c><c t="s"><v>99</v></c></row>'
            ),
            shared=_sst("<si><t>x</t></si>"),
        ),
        "refers to a text the file does not contain",
    ),
    Case(
        "bad-row-number.xlsx",
        lambda: _xlsx(_sheet('<row r="abc"><c/></row>')),
        "invalid row number",
    ),
    Case(
        "date-overflow.xlsx",
        lambda: _xlsx(
            _sheet(
                _row("municipality_code", "coalition_formed_on")
                + '<row><c t="inlineStr"><is><t>GM0363</t></is></c><c s="1"><v>1e300</v></c></row>'
            ),
            styles=_date_styles(),
        ),
        "date outside the calendar",
    ),
    Case(
        "wrong-type.xlsx",
        lambda: _xlsx(_sheet(_row("municipality_code", "phb_count") + _row("GM0363", "twelve"))),
        "row 2, column phb_count",
    ),
    Case(
        "number-as-text.xlsx",
        lambda: _xlsx(
            _sheet(
                _row("municipality_code", "goals")
                + '<row><c t="inlineStr"><is><t>GM0363</t></is></c><c><v>42</v></c></row>'
            )
        ),
        "42 is not a text",
    ),
    Case(
        "duplicate-rows.xlsx",
        lambda: _xlsx(_sheet(GOOD_ROWS + _row("GM0363", "none"))),
        "GM0363 is on row 2 already",
    ),
    Case(
        "unknown-code.xlsx",
        lambda: _xlsx(
            _sheet(_row("municipality_code", "favourite_colour") + _row("GM0363", "red"))
        ),
        "unknown column",
    ),
]


def main(folder: str) -> None:
    """Write the corpus to ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (out / case.name).write_bytes(case.build())


if __name__ == "__main__":
    main(sys.argv[1])
