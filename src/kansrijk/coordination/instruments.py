"""Screening instruments as versioned data, and `score`: answers -> a screening result.

An instrument is a questionnaire in domains; each item has an answer kind, a weight and the
situations (flags) a positive answer points to. `score` adds weight x points per item, compares
the total with the instrument's referral threshold and proposes the client routes of the flags
found. The instrument checks itself when it is built, so a coalition's own instrument is held
to the same rules as the shipped one.

Answer kinds and their points:

* yes/no: the answer is a ``bool``; yes = 1 point, no = 0. Items are worded so that yes is the
  answer that calls for attention.
* scale 0-3: the answer is an ``int`` 0-3 (four labelled options); points = the answer.
* choice: the answer is an option code (``str``); points = that option's points (0-3).

An item *raises its flags* when its points reach ``flag_from`` (1 by default; scale items
usually 2). A screening *advises referral* when the total reaches the threshold or when an
``urgent`` item raised its flags (e.g. thoughts of self-harm, drug use); only then are routes
proposed. Flags are always reported, so the professional sees them below the threshold too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Final

from kansrijk.coordination._toml import DefinitionError, Table, parse
from kansrijk.coordination.categories import DataCategory

#: An answer as the web form hands it over: bool (yes/no), int (scale), str (choice code).
Answer = bool | int | str
#: The points an answer can earn before weighting.
MAX_POINTS: Final = 3


class AnswerKind(StrEnum):
    YES_NO = "yes_no"
    SCALE = "scale"  # 0-3
    CHOICE = "choice"


class SituationFlag(StrEnum):
    """The client situations the base routes are for; items point to them."""

    DEBTS = "debts"
    PSYCHOLOGICAL = "psychological"
    TEENAGE = "teenage"
    STATUS_HOLDER = "status_holder"
    SUBSTANCE_USE = "substance_use"
    NO_KRAAMZORG = "no_kraamzorg"


@dataclass(frozen=True)
class Option:
    """One answer option of a scale or choice item: code, labels and points (0-3)."""

    code: str
    text_nl: str
    text_en: str
    points: int


def scale(*labels: tuple[str, str]) -> tuple[Option, ...]:
    """The four options of a scale item from (Dutch, English) labels for 0, 1, 2 and 3."""
    if len(labels) != MAX_POINTS + 1:
        raise ValueError(f"a scale has {MAX_POINTS + 1} labels, got {len(labels)}")
    return tuple(Option(str(p), nl, en, p) for p, (nl, en) in enumerate(labels))


@dataclass(frozen=True)
class Item:
    """One question: what is asked, how it is answered and what a positive answer means."""

    code: str
    text_nl: str
    text_en: str
    kind: AnswerKind
    weight: int
    flags: frozenset[str] = frozenset()
    options: tuple[Option, ...] = ()
    flag_from: int = 1
    urgent: bool = False
    required: bool = True

    @property
    def max_score(self) -> int:
        return self.weight * self.max_points

    @property
    def max_points(self) -> int:
        if self.kind is AnswerKind.YES_NO:
            return 1
        return max(o.points for o in self.options)

    def problems(self) -> list[str]:
        """What is wrong with this item's definition (empty when nothing)."""
        out: list[str] = []
        where = f"item {self.code!r}"
        if not self.code or not self.text_nl or not self.text_en:
            out.append(f"{where}: code and both texts are required")
        if self.weight < 0:
            out.append(f"{where}: weight must not be negative")
        codes = [o.code for o in self.options]
        if self.kind is AnswerKind.YES_NO and self.options:
            out.append(f"{where}: a yes/no item has no options")
        if self.kind is AnswerKind.SCALE and [(o.code, o.points) for o in self.options] != [
            (str(p), p) for p in range(MAX_POINTS + 1)
        ]:
            out.append(f"{where}: a scale item has the options 0-3 in order (use `scale`)")
        if self.kind is AnswerKind.CHOICE:
            if len(self.options) < 2 or len(set(codes)) != len(codes):
                out.append(f"{where}: a choice item needs two or more options with unique codes")
            if any(not 0 <= o.points <= MAX_POINTS for o in self.options):
                out.append(f"{where}: option points must lie in 0-{MAX_POINTS}")
        if self.options and not 1 <= self.flag_from <= MAX_POINTS:
            out.append(f"{where}: flag_from must lie in 1-{MAX_POINTS}")
        if self.kind is AnswerKind.YES_NO and self.flag_from != 1:
            out.append(f"{where}: a yes/no item raises its flags on yes (flag_from 1)")
        if self.urgent and not self.flags:
            out.append(f"{where}: an urgent item must point to at least one situation")
        return out

    def points(self, answer: Answer) -> int:
        """The points of a valid answer (ValueError naming the item otherwise)."""
        where = f"item {self.code!r}"
        if self.kind is AnswerKind.YES_NO:
            if not isinstance(answer, bool):
                raise ValueError(f"{where}: expected yes/no (bool), got {type(answer).__name__}")
            return int(answer)
        if self.kind is AnswerKind.SCALE:
            if isinstance(answer, bool) or not isinstance(answer, int):
                raise ValueError(
                    f"{where}: expected a scale value 0-3 (int), got {type(answer).__name__}"
                )
            if not 0 <= answer <= MAX_POINTS:
                raise ValueError(f"{where}: scale value outside 0-{MAX_POINTS}")
            return answer
        if not isinstance(answer, str):
            raise ValueError(f"{where}: expected an option code (str), got {type(answer).__name__}")
        for option in self.options:
            if option.code == answer:
                return option.points
        known = ", ".join(o.code for o in self.options)
        raise ValueError(f"{where}: not one of its options ({known})")


@dataclass(frozen=True)
class Domain:
    """A part of the instrument about one area of life; its answers are of one data category."""

    code: str
    title_nl: str
    title_en: str
    category: DataCategory
    items: tuple[Item, ...]


class InstrumentError(ValueError):
    """An instrument definition that breaks the rules (all problems in one message)."""


@dataclass(frozen=True)
class Instrument:
    """A versioned screening instrument. Checked when built: see `problems`."""

    code: str
    version: int
    title_nl: str
    title_en: str
    domains: tuple[Domain, ...]
    threshold: int
    routes_by_flag: Mapping[str, str] = field(default_factory=dict)
    about_nl: str = ""
    about_en: str = ""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InstrumentError(
                f"instrument {self.code!r} version {self.version}: " + "; ".join(problems)
            )

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for d in self.domains for i in d.items)

    @property
    def max_total(self) -> int:
        return sum(i.max_score for i in self.items)

    @property
    def flags(self) -> frozenset[str]:
        """Every flag some item can raise."""
        return frozenset(f for i in self.items for f in i.flags)

    def item(self, code: str) -> Item:
        for i in self.items:
            if i.code == code:
                return i
        raise KeyError(f"instrument {self.code!r} has no item {code!r}")

    def domain_of(self, item_code: str) -> Domain:
        for d in self.domains:
            if any(i.code == item_code for i in d.items):
                return d
        raise KeyError(f"instrument {self.code!r} has no item {item_code!r}")

    def problems(self) -> list[str]:
        """What is wrong with this definition (empty when nothing)."""
        out: list[str] = []
        if not self.code or self.version < 1:
            out.append("a code and a version >= 1 are required")
        if not self.domains:
            out.append("at least one domain is required")
        domain_codes = [d.code for d in self.domains]
        if len(set(domain_codes)) != len(domain_codes):
            out.append("domain codes are not unique")
        for d in self.domains:
            if not d.items:
                out.append(f"domain {d.code!r} has no items")
        item_codes = [i.code for i in self.items]
        duplicates = sorted({c for c in item_codes if item_codes.count(c) > 1})
        if duplicates:
            out.append(f"item codes are not unique: {', '.join(duplicates)}")
        for i in self.items:
            out.extend(i.problems())
        if not 1 <= self.threshold <= self.max_total:
            out.append(f"threshold {self.threshold} outside 1-{self.max_total} (the maximum total)")
        unused = sorted(set(self.routes_by_flag) - self.flags)
        if unused:
            out.append(f"routes_by_flag names flags no item raises: {', '.join(unused)}")
        return out


@dataclass(frozen=True)
class Screening:
    """The result of scoring one set of answers.

    ``per_domain`` maps every domain code to its score (0 when nothing was answered);
    ``answered`` holds the codes of the items that were answered.
    """

    instrument: str
    version: int
    total: int
    per_domain: Mapping[str, int]
    above_threshold: bool
    urgent: bool
    flags: frozenset[str]
    proposed_routes: tuple[str, ...]
    answered: frozenset[str]

    @property
    def refer(self) -> bool:
        """Whether the screening advises a referral (threshold reached or an urgent answer)."""
        return self.above_threshold or self.urgent


class AnswerError(ValueError):
    """Answers that do not fit the instrument; ``problems`` names the item of each problem.

    Messages name items and expected types, never the answers themselves.
    """

    def __init__(self, instrument: Instrument, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            f"answers to {instrument.code!r} version {instrument.version}: " + "; ".join(problems)
        )


def score(instrument: Instrument, answers: Mapping[str, Answer | None]) -> Screening:
    """Score ``answers`` (item code -> answer; None = not answered) on ``instrument``.

    Raises AnswerError listing every unknown item, wrong answer type or value, and missing
    required answer.
    """
    problems: list[str] = []
    known = {i.code for i in instrument.items}
    problems += [f"item {code!r}: not in this instrument" for code in answers if code not in known]
    per_domain: dict[str, int] = {}
    flags: set[str] = set()
    urgent = False
    answered: set[str] = set()
    for domain in instrument.domains:
        per_domain[domain.code] = 0
        for item in domain.items:
            answer = answers.get(item.code)
            if answer is None:
                if item.required:
                    problems.append(f"item {item.code!r}: an answer is required")
                continue
            try:
                points = item.points(answer)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            answered.add(item.code)
            per_domain[domain.code] += item.weight * points
            if points >= item.flag_from:
                flags |= item.flags
                urgent = urgent or item.urgent
    if problems:
        raise AnswerError(instrument, problems)
    total = sum(per_domain.values())
    above = total >= instrument.threshold
    refer = above or urgent
    proposed = tuple(
        dict.fromkeys(
            route for flag, route in instrument.routes_by_flag.items() if refer and flag in flags
        )
    )
    return Screening(
        instrument=instrument.code,
        version=instrument.version,
        total=total,
        per_domain=per_domain,
        above_threshold=above,
        urgent=urgent,
        flags=frozenset(flags),
        proposed_routes=proposed,
        answered=frozenset(answered),
    )


def answer_categories(instrument: Instrument, answered: frozenset[str]) -> frozenset[DataCategory]:
    """The data categories a signal holds: those of the domains with at least one answer."""
    return frozenset(instrument.domain_of(code).category for code in answered)


def _option(t: Table, kind: AnswerKind, points: int) -> Option:
    if kind is AnswerKind.SCALE:
        option = Option(str(points), t.get_str("nl"), t.get_str("en"), points)
    else:
        option = Option(t.get_str("code"), t.get_str("nl"), t.get_str("en"), t.get_int("points"))
    t.done()
    return option


def _item(t: Table) -> Item:
    try:
        kind = AnswerKind(t.get_str("kind"))
    except ValueError:
        raise t.fail("kind", f"expected one of {', '.join(AnswerKind)}") from None
    item = Item(
        code=t.get_str("code"),
        text_nl=t.get_str("text_nl"),
        text_en=t.get_str("text_en"),
        kind=kind,
        weight=t.get_int("weight"),
        flags=frozenset(t.get_strings("flags")),
        options=tuple(_option(o, kind, n) for n, o in enumerate(t.get_tables("options"))),
        flag_from=t.get_int("flag_from", 1),
        urgent=t.get_bool("urgent", False),
        required=t.get_bool("required", True),
    )
    t.done()
    return item


def _domain(t: Table) -> Domain:
    try:
        category = DataCategory(t.get_str("category"))
    except ValueError:
        raise t.fail("category", f"expected one of {', '.join(DataCategory)}") from None
    domain = Domain(
        code=t.get_str("code"),
        title_nl=t.get_str("title_nl"),
        title_en=t.get_str("title_en"),
        category=category,
        items=tuple(_item(i) for i in t.get_tables("items")),
    )
    t.done()
    return domain


def instrument_from_toml(text: str, name: str = "instrument") -> Instrument:
    """Read and check an instrument definition (the format of ``data/instruments/*.toml``).

    Raises DefinitionError for a wrong shape (naming the key) and InstrumentError for a
    definition that breaks the rules of `Instrument.problems`.
    """
    t = parse(text, name)
    routes = t.get_table("routes_by_flag")
    routes_by_flag = {flag: routes.get_str(flag) for flag in routes.all_keys()}
    result = Instrument(
        code=t.get_str("code"),
        version=t.get_int("version"),
        title_nl=t.get_str("title_nl"),
        title_en=t.get_str("title_en"),
        about_nl=t.get_str("about_nl", ""),
        about_en=t.get_str("about_en", ""),
        threshold=t.get_int("threshold"),
        routes_by_flag=routes_by_flag,
        domains=tuple(_domain(d) for d in t.get_tables("domains")),
    )
    t.done()
    return result


@cache
def shipped_instruments() -> tuple[Instrument, ...]:
    """Every instrument shipped in ``coordination/data/instruments``, by code and version."""
    folder = files("kansrijk.coordination") / "data" / "instruments"
    found = [
        instrument_from_toml(f.read_text(encoding="utf-8"), f.name)
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".toml")
    ]
    keys = [(i.code, i.version) for i in found]
    if len(set(keys)) != len(keys):
        raise DefinitionError(f"shipped instruments: duplicate code and version in {keys}")
    return tuple(sorted(found, key=lambda i: (i.code, i.version)))


def instrument(code: str, version: int | None = None) -> Instrument:
    """The shipped instrument ``code`` in ``version`` (the latest version when None)."""
    versions = [i for i in shipped_instruments() if i.code == code]
    if version is not None:
        versions = [i for i in versions if i.version == version]
    if not versions:
        known = ", ".join(f"{i.code} v{i.version}" for i in shipped_instruments())
        wanted = code if version is None else f"{code} v{version}"
        raise KeyError(f"no instrument {wanted}; shipped: {known}")
    return versions[-1]


def find_instrument(code: str, version: int | None = None) -> Instrument | None:
    """`instrument`, or None when it is not shipped (a stored signal of a withdrawn version
    is still shown, without its questions)."""
    try:
        return instrument(code, version)
    except KeyError:
        return None


GENERIC_2026: Final = instrument("kansrijk_basis", 1)
"""The Kansrijk basisinstrument (2026): a generic screening instrument for pregnant women.

It covers the domains that R4U (Rotterdam Reproductive Risk Reduction) and ALPHA-NL (Antenatal
Psychosocial Health Assessment) cover: family situation, work and income, communication and
education, lifestyle, previous pregnancies, current pregnancy, mental well-being, attachment and
parenting. It is inspired by those domains only: it is not a reproduction, translation or
validated version of either instrument. The questions, weights and threshold are Kansrijk's own
plain-Dutch defaults, not validated cut-offs; a coalition that uses R4U or ALPHA-NL under
their own terms adds them as instruments of their own.
"""
