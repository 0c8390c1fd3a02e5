"""Reading uploads: text in two encodings, Word documents built in memory, WebVTT cues with
voices, and the refusals (not a docx, a DTD, not WebVTT)."""

from __future__ import annotations

import io
import zipfile

import pytest

from kansrijk.web.experiences.transcripts import TranscriptFormatError, read

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(*paragraphs: str, head: str = "") -> bytes:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    xml = f'<?xml version="1.0"?>{head}<w:document xmlns:w="{W}"><w:body>{body}</w:body>'
    xml += "</w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_text_utf8_and_windows_1252() -> None:
    assert read("text", "\ufeffCoördinatie\r\nregel 2\r\n".encode()).text == "Coördinatie\nregel 2"
    assert read("text", "Coördinatie".encode("cp1252")).text == "Coördinatie"


def test_text_refuses_binary() -> None:
    with pytest.raises(TranscriptFormatError):
        read("text", b"PK\x03\x04\x00\x00")


def test_docx_paragraphs_tabs_and_breaks() -> None:
    data = docx("Interviewer: Hoe gaat het?", "P01: Goed.")
    assert read("docx", data).text == "Interviewer: Hoe gaat het?\nP01: Goed."
    run = "<w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t>"
    xml = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r>{run}</w:r></w:p></w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    assert read("docx", buffer.getvalue()).text == "a\tb\nc"


def test_docx_refusals() -> None:
    with pytest.raises(TranscriptFormatError, match="not a Word document"):
        read("docx", b"plain text")
    bomb = '<!DOCTYPE w:document [<!ENTITY a "aaaa">]>'
    with pytest.raises(TranscriptFormatError, match="DTD"):
        read("docx", docx("&a;", head=bomb))


VTT = """WEBVTT

NOTE exported from Teams

1
00:00:01.000 --> 00:00:04.000
<v Anna de Vries>Ik werk als verloskundige in Zwolle.</v>

2
00:00:04.500 --> 00:00:06.000 align:start
<v Anna de Vries>Sinds 2019.</v>

3
00:00:07.000 --> 00:00:09.000
<v.loud Bram Jansen>En ik ben projectleider &amp; coördinator.

00:00:10.000 --> 00:00:11.000
Zonder spreker.
"""


def test_vtt_cues_voices_and_turns() -> None:
    parsed = read("vtt", VTT.encode())
    assert parsed.speakers == ("Anna de Vries", "Bram Jansen")
    assert parsed.text == (
        "Anna de Vries: Ik werk als verloskundige in Zwolle. Sinds 2019.\n"
        "Bram Jansen: En ik ben projectleider & coördinator.\n"
        "Zonder spreker."
    )


def test_vtt_must_start_with_its_signature() -> None:
    with pytest.raises(TranscriptFormatError, match="WEBVTT"):
        read("vtt", b"1\n00:00:01.000 --> 00:00:02.000\nhallo\n")
