"""Reading an uploaded transcript or report into plain text: text, Word (.docx) or WebVTT.

Framework-free and in memory only: the bytes come from the upload, the text goes to the
pseudonymisation review, and nothing is written anywhere (the raw text must never be stored).

* **Text**: UTF-8 (with or without a byte-order mark), else Windows-1252 (Word's "save as
  text" on Dutch Windows).
* **Word**: the paragraphs of ``word/document.xml``, read with ``zipfile`` and the standard
  library's XML parser (python-docx is not a dependency). Tabs and line breaks inside a
  paragraph are kept; tables give one paragraph per cell. A document declaring a DTD is
  refused (no entity expansion), and so is a ``document.xml`` larger than ``MAX_XML_BYTES``
  unpacked (no zip bomb).
* **WebVTT**: the cues' text, without timings, cue settings, notes, styles or tags; a voice
  tag (``<v Anna de Vries>``) becomes a speaker label at the start of the line
  ("Anna de Vries: ..."), consecutive cues of one speaker are joined into one turn, and the
  speakers are returned so the review can propose a replacement for each. A small parser of
  the W3C format's cue blocks: the webvtt-py package would add a dependency for the thirty
  lines below.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

#: Largest unpacked word/document.xml read (a 300-page transcript is about 5 MB of XML).
MAX_XML_BYTES = 20 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class TranscriptFormatError(ValueError):
    """The file is not what its format says (the message says what is wrong, in English; the
    view shows a translated message by kind)."""


@dataclass(frozen=True)
class Parsed:
    """An upload as plain text, and the speakers its format named (WebVTT voices)."""

    text: str
    speakers: tuple[str, ...] = ()


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def read_text(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise TranscriptFormatError("binary data in a text file")
    return Parsed(_normalise(text))


def read_docx(data: bytes) -> Parsed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise TranscriptFormatError("not a Word document (.docx)") from error
    if info.file_size > MAX_XML_BYTES:
        raise TranscriptFormatError("the document is too large")
    xml = archive.read(info)
    if b"<!DOCTYPE" in xml[:4096].upper() or b"<!ENTITY" in xml.upper():
        raise TranscriptFormatError("the document declares a DTD")
    try:
        root = ET.fromstring(xml)  # no DTD: checked above
    except ET.ParseError as error:
        raise TranscriptFormatError("the document's XML is broken") from error
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return Parsed(_normalise("\n".join(paragraphs)))


_TIMING = re.compile(r"^(?:\d+:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}\.\d{3}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")


def read_vtt(data: bytes) -> Parsed:
    text = _normalise(read_text(data).text)
    if not text.startswith("WEBVTT"):
        raise TranscriptFormatError("a WebVTT file starts with WEBVTT")
    turns: list[tuple[str, str]] = []  # (speaker, text)
    speakers: list[str] = []
    for block in re.split(r"\n\s*\n", text)[1:]:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing is None:
            continue
        payload = " ".join(line.strip() for line in lines[timing + 1 :] if line.strip())
        voice = _VOICE.search(payload)
        speaker = html.unescape(voice.group(1).strip()) if voice else ""
        said = html.unescape(_TAG.sub("", payload)).strip()
        if not said:
            continue
        if speaker and speaker not in speakers:
            speakers.append(speaker)
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, f"{turns[-1][1]} {said}")
        else:
            turns.append((speaker, said))
    body = "\n".join(f"{who}: {said}" if who else said for who, said in turns)
    return Parsed(_normalise(body), tuple(speakers))


READERS = {"text": read_text, "docx": read_docx, "vtt": read_vtt}


def read(source_format: str, data: bytes) -> Parsed:
    """The upload as text, by format (``text``, ``docx`` or ``vtt``)."""
    return READERS[source_format](data)
