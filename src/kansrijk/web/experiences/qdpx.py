"""The REFI-QDA Project exchange format (``.qdpx``): write and read, framework-free.

A ``.qdpx`` file is a zip holding ``project.qde``, XML in the namespace
``urn:QDA-XML:project:1.0`` (the REFI-QDA standard of 2019, www.qdasoftware.org), and the
text sources under ``sources/``. ATLAS.ti, MAXQDA, NVivo and QualCoder read and write it.
This module maps the part of the standard the experiences study uses to frozen dataclasses
(``Project`` and its parts); ``services`` maps those to and from the database:

* ``Users``: the researchers (guid, user name);
* ``CodeBook``: codes with guid, name, description and the hierarchy (themes and sub-codes);
* ``Variables`` and ``Cases``: a case per session with its kind, date and mode;
* ``Sources``: ``TextSource``s whose text is ``sources/<guid>.txt`` (UTF-8), with their
  ``PlainTextSelection``s (``startPosition``/``endPosition``: character offsets, end
  exclusive) and each selection's ``Coding``s (a ``CodeRef`` and the creating user);
* ``Notes``: memos (``PlainTextContent``), referred to from a source, a code or the project.

Every written ``project.qde`` is validated against the official schema (``data/refi-qda/
Project-mrt2019.xsd``, see the NOTICE there) with ``xmlschema``; so is every read one, before
anything in it is used. A file with a DTD or entities is refused, as are archives that unpack
to more than ``MAX_UNPACKED`` bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

import xmlschema

NS = "urn:QDA-XML:project:1.0"
SCHEMA = Path(__file__).resolve().parent / "data" / "refi-qda" / "Project-mrt2019.xsd"
#: Largest total size of the files in an archive that is read (no zip bombs).
MAX_UNPACKED = 50 * 1024 * 1024
_Q = f"{{{NS}}}"


class QdpxError(Exception):
    """The file is not a REFI-QDA project this module can read (the message says why)."""


@dataclass(frozen=True)
class User:
    guid: str
    name: str


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str = ""
    children: tuple[Code, ...] = ()
    notes: tuple[str, ...] = ()  # guids of notes on the code


@dataclass(frozen=True)
class Coding:
    guid: str
    code: str  # the code's guid
    user: str | None = None  # the creating user's guid
    created: datetime | None = None


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    user: str | None = None
    created: datetime | None = None
    codings: tuple[Coding, ...] = ()


@dataclass(frozen=True)
class Source:
    guid: str
    name: str
    text: str
    user: str | None = None
    created: datetime | None = None
    selections: tuple[Selection, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    guid: str
    name: str
    text: str
    user: str | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str
    kind: str  # typeOfVariable: "Text" or "Date" here


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    values: tuple[tuple[str, str], ...] = ()  # (variable guid, value as text)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    name: str
    origin: str = ""
    user: str | None = None
    created: datetime | None = None
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[Note, ...] = ()
    description: str = ""
    project_notes: tuple[str, ...] = ()  # guids of notes on the project as a whole


# --- Schema -------------------------------------------------------------------------------


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def validation_errors(xml: bytes) -> list[str]:
    """What the official schema finds wrong with a ``project.qde`` (empty: valid)."""
    return [str(e.reason or e.message) for e in schema().iter_errors(io.BytesIO(xml))]


# --- Write --------------------------------------------------------------------------------


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _element(parent: ET.Element, tag: str, **attributes: str | None) -> ET.Element:
    attrs = {k: v for k, v in attributes.items() if v is not None}
    return ET.SubElement(parent, _Q + tag, attrs)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    _element(parent, tag).text = text


def _code(parent: ET.Element, code: Code) -> None:
    element = _element(parent, "Code", guid=code.guid, name=code.name, isCodable="true")
    if code.description:
        _text(element, "Description", code.description)
    for note_guid in code.notes:
        _element(element, "NoteRef", targetGUID=note_guid)
    for child in code.children:
        _code(element, child)


def source_path(source: Source) -> str:
    return f"sources/{source.guid}.txt"


def project_xml(project: Project) -> bytes:
    """The ``project.qde`` of a project (elements in the order the schema's sequences set)."""
    ET.register_namespace("", NS)
    root = ET.Element(
        _Q + "Project",
        {
            k: v
            for k, v in {
                "name": project.name,
                "origin": project.origin or None,
                "creatingUserGUID": project.user,
                "creationDateTime": _stamp(project.created),
            }.items()
            if v is not None
        },
    )
    if project.users:
        users = _element(root, "Users")
        for user in project.users:
            _element(users, "User", guid=user.guid, name=user.name)
    if project.codes:
        codes = _element(_element(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(codes, code)
    if project.variables:
        variables = _element(root, "Variables")
        for variable in project.variables:
            _element(
                variables,
                "Variable",
                guid=variable.guid,
                name=variable.name,
                typeOfVariable=variable.kind,
            )
    kinds = {v.guid: v.kind for v in project.variables}
    if project.cases:
        cases = _element(root, "Cases")
        for case in project.cases:
            element = _element(cases, "Case", guid=case.guid, name=case.name)
            for variable_guid, value in case.values:
                holder = _element(element, "VariableValue")
                _element(holder, "VariableRef", targetGUID=variable_guid)
                _text(holder, f"{kinds.get(variable_guid, 'Text')}Value", value)
            for source_guid in case.sources:
                _element(element, "SourceRef", targetGUID=source_guid)
    if project.sources:
        sources = _element(root, "Sources")
        for source in project.sources:
            element = _element(
                sources,
                "TextSource",
                guid=source.guid,
                name=source.name,
                plainTextPath=f"internal://{source.guid}.txt",
                creatingUser=source.user,
                creationDateTime=_stamp(source.created),
            )
            for selection in source.selections:
                sel = _element(
                    element,
                    "PlainTextSelection",
                    guid=selection.guid,
                    name=source.text[selection.start : selection.end][:60],
                    startPosition=str(selection.start),
                    endPosition=str(selection.end),
                    creatingUser=selection.user,
                    creationDateTime=_stamp(selection.created),
                )
                for coding in selection.codings:
                    c = _element(
                        sel,
                        "Coding",
                        guid=coding.guid,
                        creatingUser=coding.user,
                        creationDateTime=_stamp(coding.created),
                    )
                    _element(c, "CodeRef", targetGUID=coding.code)
            for note_guid in source.notes:
                _element(element, "NoteRef", targetGUID=note_guid)
    if project.notes:
        notes = _element(root, "Notes")
        for note in project.notes:
            element = _element(
                notes,
                "Note",
                guid=note.guid,
                name=note.name,
                creatingUser=note.user,
                creationDateTime=_stamp(note.created),
            )
            _text(element, "PlainTextContent", note.text)
    if project.description:
        _text(root, "Description", project.description)
    for note_guid in project.project_notes:
        _element(root, "NoteRef", targetGUID=note_guid)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def write(project: Project) -> bytes:
    """The ``.qdpx`` archive: ``project.qde`` (validated) and ``sources/<guid>.txt``."""
    xml = project_xml(project)
    errors = validation_errors(xml)
    if errors:  # a bug here, never the user's: fail loudly
        raise QdpxError("the export does not validate: " + "; ".join(errors[:3]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for source in project.sources:
            archive.writestr(source_path(source), source.text.encode("utf-8"))
    return buffer.getvalue()


# --- Read ---------------------------------------------------------------------------------


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _child_text(element: ET.Element, tag: str) -> str:
    found = element.find(_Q + tag)
    return found.text or "" if found is not None else ""


def _refs(element: ET.Element, tag: str) -> tuple[str, ...]:
    return tuple(r.get("targetGUID", "") for r in element.findall(_Q + tag))


def _read_code(element: ET.Element) -> Code:
    return Code(
        guid=element.get("guid", ""),
        name=element.get("name", ""),
        description=_child_text(element, "Description"),
        children=tuple(_read_code(c) for c in element.findall(_Q + "Code")),
        notes=_refs(element, "NoteRef"),
    )


def _unpack(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise QdpxError("the archive unpacks to more than 50 MB")
        return {i.filename: archive.read(i) for i in infos if not i.is_dir()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
        raise QdpxError("not a zip archive") from error


def _source_text(element: ET.Element, files: dict[str, bytes]) -> str:
    inline = element.find(_Q + "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    path = element.get("plainTextPath", "")
    if path.startswith("internal://"):
        name = "sources/" + path.removeprefix("internal://")
        if name in files:
            try:
                return files[name].decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise QdpxError(f"{name} is not UTF-8 text") from error
    raise QdpxError(f"the text of source {element.get('name', '')!r} is not in the archive")


def read(data: bytes) -> Project:
    """The project in a ``.qdpx`` archive (its ``project.qde`` valid against the schema).
    Only text sources are read; pictures, PDF, audio and video sources are left out."""
    files = _unpack(data)
    xml = files.get("project.qde")
    if xml is None:
        raise QdpxError("the archive holds no project.qde")
    if b"<!DOCTYPE" in xml.upper() or b"<!ENTITY" in xml.upper():
        raise QdpxError("project.qde declares a DTD or entities")
    errors = validation_errors(xml)
    if errors:
        raise QdpxError("project.qde does not follow the REFI-QDA schema: " + errors[0])
    root = ET.fromstring(xml)
    users = tuple(User(u.get("guid", ""), u.get("name", "")) for u in root.iter(_Q + "User"))
    codes_element = root.find(f"{_Q}CodeBook/{_Q}Codes")
    codes = (
        tuple(_read_code(c) for c in codes_element.findall(_Q + "Code"))
        if codes_element is not None
        else ()
    )
    variables = tuple(
        Variable(v.get("guid", ""), v.get("name", ""), v.get("typeOfVariable", "Text"))
        for v in root.findall(f"{_Q}Variables/{_Q}Variable")
    )
    cases = []
    for case in root.findall(f"{_Q}Cases/{_Q}Case"):
        values = []
        for holder in case.findall(_Q + "VariableValue"):
            ref = holder.find(_Q + "VariableRef")
            value = next((c.text or "" for c in holder if c is not ref), "")
            if ref is not None:
                values.append((ref.get("targetGUID", ""), value))
        cases.append(
            Case(
                case.get("guid", ""), case.get("name", ""), tuple(values), _refs(case, "SourceRef")
            )
        )
    sources = []
    for element in root.findall(f"{_Q}Sources/{_Q}TextSource"):
        selections = []
        for sel in element.findall(_Q + "PlainTextSelection"):
            codings = []
            for coding in sel.findall(_Q + "Coding"):
                ref = coding.find(_Q + "CodeRef")
                codings.append(
                    Coding(
                        guid=coding.get("guid", ""),
                        code=ref.get("targetGUID", "") if ref is not None else "",
                        user=coding.get("creatingUser"),
                        created=_when(coding.get("creationDateTime")),
                    )
                )
            selections.append(
                Selection(
                    guid=sel.get("guid", ""),
                    start=int(sel.get("startPosition", "0")),
                    end=int(sel.get("endPosition", "0")),
                    user=sel.get("creatingUser"),
                    created=_when(sel.get("creationDateTime")),
                    codings=tuple(codings),
                )
            )
        sources.append(
            Source(
                guid=element.get("guid", ""),
                name=element.get("name", ""),
                text=_source_text(element, files),
                user=element.get("creatingUser"),
                created=_when(element.get("creationDateTime")),
                selections=tuple(selections),
                notes=_refs(element, "NoteRef"),
            )
        )
    notes = tuple(
        Note(
            guid=n.get("guid", ""),
            name=n.get("name", ""),
            text=_child_text(n, "PlainTextContent"),
            user=n.get("creatingUser"),
            created=_when(n.get("creationDateTime")),
        )
        for n in root.findall(f"{_Q}Notes/{_Q}Note")
    )
    return Project(
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        user=root.get("creatingUserGUID"),
        created=_when(root.get("creationDateTime")),
        users=users,
        codes=codes,
        variables=variables,
        cases=tuple(cases),
        sources=tuple(sources),
        notes=notes,
        description=_child_text(root, "Description"),
        project_notes=_refs(root, "NoteRef"),
    )


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
