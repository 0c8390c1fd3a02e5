"""Client routes (klantroutes): versioned, declarative paths of referrals per client situation.

A route says for which situation it is (entry criteria: flags from a screening and simple facts
of the family's situation), and which steps follow, in order: which kind of partner, how many
working days that partner has to respond, and which category of data the step shares.

The six base routes are shipped as data (``data/routes.toml``). Their response times are
defaults (5 working days where waiting harms the pregnancy directly, 10 for planned support and
follow-up consultations; see the file's header) that a coalition changes in a *local variant*:
`local_variant` copies a base route for one coalition with changes, keeps the base's code and
records ``based_on = (code, version)``, so a coalition can see when the national base moved on.
`routes_for` picks the routes whose entry criteria hold; `effective_routes` puts a coalition's
variants in place of the bases they adapt.

A variant may have its own entry criteria. They are stored in the shape of ``routes.toml``
(`criterion_to_dict`, read back by `criterion_from_dict` with the file's rules) and checked by
`entry_problems`: flags a shipped screening instrument can raise, sensible ages and weeks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Final, TypeVar, assert_never

from kansrijk.coordination._toml import DefinitionError, Table, parse
from kansrijk.coordination.categories import DataCategory
from kansrijk.coordination.instruments import Screening, shipped_instruments
from kansrijk.coordination.partners import PartnerType
from kansrijk.coordination.workdays import DUTCH_CALENDAR, WorkCalendar

#: A pregnancy lasts 280 days from the first day of the last period to the due date.
PREGNANCY_DAYS: Final = 280


@dataclass(frozen=True)
class Situation:
    """What is known about a family on one day (``on``), as far as entry criteria need it.

    Unknown facts are None (or False for ``status_holder``); a criterion on an unknown fact
    does not hold.
    """

    on: date
    due_date: date | None = None
    mother_birth_date: date | None = None
    status_holder: bool = False
    kraamzorg_arranged: bool | None = None

    @property
    def mother_age_at_due_date(self) -> int | None:
        """The mother's age in whole years on the due date."""
        if self.due_date is None or self.mother_birth_date is None:
            return None
        born, due = self.mother_birth_date, self.due_date
        return due.year - born.year - ((due.month, due.day) < (born.month, born.day))

    @property
    def pregnancy_week(self) -> int | None:
        """Completed weeks of pregnancy on ``on`` (40 on the due date)."""
        if self.due_date is None:
            return None
        return (PREGNANCY_DAYS - (self.due_date - self.on).days) // 7


@dataclass(frozen=True)
class HasFlag:
    """The screening raised this flag."""

    flag: str

    def matches(self, flags: frozenset[str], situation: Situation | None) -> bool:
        return self.flag in flags

    @property
    def text_nl(self) -> str:
        return f"De screening signaleert: {self.flag}"

    @property
    def text_en(self) -> str:
        return f"The screening raised: {self.flag}"


@dataclass(frozen=True)
class MotherYoungerThan:
    """The mother is younger than ``years`` on the due date."""

    years: int

    def matches(self, flags: frozenset[str], situation: Situation | None) -> bool:
        age = None if situation is None else situation.mother_age_at_due_date
        return age is not None and age < self.years

    @property
    def text_nl(self) -> str:
        return f"De moeder is jonger dan {self.years} jaar op de uitgerekende datum"

    @property
    def text_en(self) -> str:
        return f"The mother is younger than {self.years} on the due date"


@dataclass(frozen=True)
class IsStatusHolder:
    """The mother has a residence permit after an asylum application."""

    def matches(self, flags: frozenset[str], situation: Situation | None) -> bool:
        return situation is not None and situation.status_holder

    @property
    def text_nl(self) -> str:
        return "De moeder is statushouder"

    @property
    def text_en(self) -> str:
        return "The mother is a status holder"


@dataclass(frozen=True)
class KraamzorgNotArrangedBy:
    """Kraamzorg is known not to be arranged while the pregnancy has reached ``week``."""

    week: int

    def matches(self, flags: frozenset[str], situation: Situation | None) -> bool:
        if situation is None or situation.kraamzorg_arranged is not False:
            return False
        week = situation.pregnancy_week
        return week is not None and week >= self.week

    @property
    def text_nl(self) -> str:
        return f"Kraamzorg is bij {self.week} weken zwangerschap nog niet geregeld"

    @property
    def text_en(self) -> str:
        return f"Kraamzorg is not arranged at {self.week} weeks of pregnancy"


Criterion = HasFlag | MotherYoungerThan | IsStatusHolder | KraamzorgNotArrangedBy


class RouteError(ValueError):
    """A route definition that breaks the rules (all problems in one message)."""


@dataclass(frozen=True)
class Step:
    """One referral of a route: to which kind of partner, answered within how many working days,
    sharing which category of data. ``order`` is the step's place in the route (1, 2, ...)."""

    order: int
    title_nl: str
    title_en: str
    partner_type: PartnerType
    response_days: int
    shares: DataCategory

    def __post_init__(self) -> None:
        # The web app hands over stored strings: turn them into the enums (or fail clearly).
        try:
            object.__setattr__(self, "partner_type", PartnerType(self.partner_type))
        except ValueError:
            raise RouteError(f"step {self.order}: unknown partner type") from None
        try:
            object.__setattr__(self, "shares", DataCategory(self.shares))
        except ValueError:
            raise RouteError(f"step {self.order}: unknown data category") from None
        if self.response_days < 1:
            raise RouteError(f"step {self.order}: response_days must be at least 1")


@dataclass(frozen=True)
class Route:
    """A versioned client route; a local variant has a ``coalition`` and ``based_on``.

    Identity: (coalition, code, version); a coalition's variant keeps the base's code.
    """

    code: str
    version: int
    title_nl: str
    title_en: str
    situation_nl: str
    situation_en: str
    entry: tuple[Criterion, ...]
    steps: tuple[Step, ...]
    based_on: tuple[str, int] | None = None
    coalition: str | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.code or self.version < 1:
            problems.append("a code and a version >= 1 are required")
        if not self.entry:
            problems.append("at least one entry criterion is required")
        if not self.steps:
            problems.append("at least one step is required")
        if [s.order for s in self.steps] != list(range(1, len(self.steps) + 1)):
            problems.append("steps must be numbered 1, 2, ... in order")
        if (self.coalition is None) != (self.based_on is None):
            problems.append("a local variant has both a coalition and based_on; a base neither")
        if self.based_on is not None and self.based_on[0] != self.code:
            problems.append(f"a local variant keeps its base's code ({self.based_on[0]!r})")
        if problems:
            who = f" ({self.coalition})" if self.coalition else ""
            raise RouteError(f"route {self.code!r}{who} v{self.version}: " + "; ".join(problems))

    @property
    def key(self) -> tuple[str | None, str, int]:
        return (self.coalition, self.code, self.version)

    def applies(self, flags: Iterable[str], situation: Situation | None = None) -> bool:
        """Whether any entry criterion holds for these flags and this situation."""
        found = frozenset(flags)
        return any(c.matches(found, situation) for c in self.entry)

    def step(self, order: int) -> Step:
        for s in self.steps:
            if s.order == order:
                return s
        raise KeyError(f"route {self.code!r} has no step {order}")


def local_variant(
    base: Route,
    coalition: str,
    *,
    version: int = 1,
    steps: tuple[Step, ...] | None = None,
    response_days: Mapping[int, int] | None = None,
    partner_types: Mapping[int, PartnerType] | None = None,
    entry: tuple[Criterion, ...] | None = None,
    title_nl: str | None = None,
    title_en: str | None = None,
) -> Route:
    """A coalition's copy of ``base`` with changes; ``based_on`` = (base.code, base.version).

    ``steps`` replaces the steps as a whole; ``response_days`` and ``partner_types`` (step
    order -> new value) change single steps, after ``steps`` when both are given.
    """
    if base.coalition is not None:
        raise RouteError(f"route {base.code!r} is already a variant of {base.coalition}")
    if not coalition:
        raise RouteError("a local variant needs a coalition code")
    new_steps = base.steps if steps is None else steps
    days, partners = response_days or {}, partner_types or {}
    orders = {s.order for s in new_steps}
    for what, changes in (("response_days", days), ("partner_types", partners)):
        unknown = sorted(set(changes) - orders)
        if unknown:
            raise RouteError(f"route {base.code!r}: {what} names steps {unknown} it does not have")
    changed = tuple(
        replace(
            s,
            response_days=days.get(s.order, s.response_days),
            partner_type=partners.get(s.order, s.partner_type),
        )
        for s in new_steps
    )
    return replace(
        base,
        version=version,
        steps=changed,
        entry=base.entry if entry is None else entry,
        title_nl=base.title_nl if title_nl is None else title_nl,
        title_en=base.title_en if title_en is None else title_en,
        based_on=(base.code, base.version),
        coalition=coalition,
    )


def latest(routes: Iterable[Route]) -> tuple[Route, ...]:
    """The latest version of each (coalition, code), in the order first seen."""
    best: dict[tuple[str | None, str], Route] = {}
    for r in routes:
        key = (r.coalition, r.code)
        if key not in best or r.version > best[key].version:
            best[key] = r
    return tuple(best.values())


def effective_routes(
    base: Iterable[Route], variants: Iterable[Route], coalition: str
) -> tuple[Route, ...]:
    """The routes a coalition works with: its latest variant of a route, else the latest base."""
    mine = {r.code: r for r in latest(v for v in variants if v.coalition == coalition)}
    return tuple(mine.get(r.code, r) for r in latest(r for r in base if r.coalition is None))


def deadline(sent_on: date, step: Step, calendar: WorkCalendar = DUTCH_CALENDAR) -> date:
    """When the partner of ``step`` should have responded to a referral sent on ``sent_on``:
    the ``step.response_days``-th working day after it (see `WorkCalendar.add_working_days`)."""
    return calendar.add_working_days(sent_on, step.response_days)


# --- the shipped base routes -----------------------------------------------------------------

#: The keys of an entry criterion in ``routes.toml``; each criterion table has exactly one.
CRITERION_KEYS: Final = (
    "flag",
    "mother_younger_than",
    "status_holder",
    "kraamzorg_not_arranged_by_week",
)
_E = TypeVar("_E", PartnerType, DataCategory)


def _criterion(t: Table) -> Criterion:
    keys = t.all_keys()
    if len(keys) != 1 or keys[0] not in CRITERION_KEYS:
        raise t.fail(
            "", f"an entry criterion has exactly one of the keys {', '.join(CRITERION_KEYS)}"
        )
    key = keys[0]
    if key == "flag":
        return HasFlag(t.get_str(key))
    if key == "mother_younger_than":
        return MotherYoungerThan(t.get_int(key))
    if key == "kraamzorg_not_arranged_by_week":
        return KraamzorgNotArrangedBy(t.get_int(key))
    if not t.get_bool(key):
        raise t.fail(key, "only `status_holder = true` is a criterion")
    return IsStatusHolder()


# --- entry criteria as data (a local variant's own criteria) ----------------------------------

#: A criterion in its stored form, the shape of ``routes.toml``: ``{"flag": "debts"}``.
CriterionDict = dict[str, str | int | bool]
#: The bounds (inclusive) a local variant's ``mother_younger_than`` must keep, in years.
MOTHER_YOUNGER_THAN_YEARS: Final = (12, 30)
#: The bounds (inclusive) of ``kraamzorg_not_arranged_by_week``, in weeks of pregnancy.
KRAAMZORG_WEEKS: Final = (1, 42)


def criterion_from_dict(raw: Mapping[str, object], where: str = "entry") -> Criterion:
    """One criterion from its stored form (``{"mother_younger_than": 20}``), read with the rules
    of ``routes.toml`` so a stored variant and the shipped file cannot disagree.

    Raises ``RouteError`` (naming ``where``) for anything the file would refuse.
    """
    if not isinstance(raw, Mapping):
        raise RouteError(f"{where}: an entry criterion is a table with one key")
    try:
        return _criterion(Table(dict(raw), where))
    except DefinitionError as problem:
        raise RouteError(str(problem)) from None


def criterion_to_dict(criterion: Criterion) -> CriterionDict:
    """The stored form of a criterion; `criterion_from_dict` reads it back unchanged."""
    match criterion:
        case HasFlag(flag=flag):
            return {"flag": flag}
        case MotherYoungerThan(years=years):
            return {"mother_younger_than": years}
        case IsStatusHolder():
            return {"status_holder": True}
        case KraamzorgNotArrangedBy(week=week):
            return {"kraamzorg_not_arranged_by_week": week}
        case _:
            assert_never(criterion)


def criteria_from_dicts(raw: Iterable[Mapping[str, object]]) -> tuple[Criterion, ...]:
    """Stored criteria as the core's (``RouteError`` naming the first bad one)."""
    return tuple(criterion_from_dict(c, f"entry[{n}]") for n, c in enumerate(raw))


def criteria_to_dicts(entry: Iterable[Criterion]) -> list[CriterionDict]:
    """Criteria in their stored form, in the order given."""
    return [criterion_to_dict(c) for c in entry]


@cache
def screening_flags() -> frozenset[str]:
    """Every flag a shipped screening instrument can raise: the only flags a criterion may name
    (a criterion on any other flag could never hold)."""
    return frozenset(f for i in shipped_instruments() for f in i.flags)


def entry_problems(entry: Iterable[Criterion], flags: Collection[str] | None = None) -> list[str]:
    """What is wrong with a local variant's entry criteria (empty when nothing): at least one,
    none twice, only ``flags`` (default: `screening_flags`), ages in
    `MOTHER_YOUNGER_THAN_YEARS` and weeks in `KRAAMZORG_WEEKS`."""
    criteria = list(entry)
    known = screening_flags() if flags is None else flags
    out: list[str] = []
    if not criteria:
        out.append("at least one entry criterion is required")
    if len(set(criteria)) != len(criteria):
        out.append("an entry criterion appears more than once")
    for c in criteria:
        if isinstance(c, HasFlag) and c.flag not in known:
            out.append(f"no screening raises the flag {c.flag!r}")
        elif isinstance(c, MotherYoungerThan):
            low, high = MOTHER_YOUNGER_THAN_YEARS
            if not low <= c.years <= high:
                out.append(f"mother_younger_than must lie in {low}-{high}")
        elif isinstance(c, KraamzorgNotArrangedBy):
            low, high = KRAAMZORG_WEEKS
            if not low <= c.week <= high:
                out.append(f"kraamzorg_not_arranged_by_week must lie in {low}-{high}")
    return out


def check_entry(entry: Iterable[Criterion], flags: Collection[str] | None = None) -> None:
    """Raise ``RouteError`` with every `entry_problems` of these criteria (before storing)."""
    problems = entry_problems(entry, flags)
    if problems:
        raise RouteError("entry criteria: " + "; ".join(problems))


def _enum_value(t: Table, key: str, kind: type[_E]) -> _E:
    try:
        return kind(t.get_str(key))
    except ValueError:
        raise t.fail(key, f"expected one of {', '.join(kind)}") from None


def _step(t: Table, order: int) -> Step:
    step = Step(
        order=order,
        title_nl=t.get_str("title_nl"),
        title_en=t.get_str("title_en"),
        partner_type=_enum_value(t, "partner_type", PartnerType),
        response_days=t.get_int("response_days"),
        shares=_enum_value(t, "shares", DataCategory),
    )
    t.done()
    return step


def _route(t: Table) -> Route:
    route = Route(
        code=t.get_str("code"),
        version=t.get_int("version"),
        title_nl=t.get_str("title_nl"),
        title_en=t.get_str("title_en"),
        situation_nl=t.get_str("situation_nl"),
        situation_en=t.get_str("situation_en"),
        entry=tuple(_criterion(c) for c in t.get_tables("entry")),
        steps=tuple(_step(s, n) for n, s in enumerate(t.get_tables("steps"), start=1)),
    )
    t.done()
    return route


def routes_from_toml(text: str, name: str = "routes") -> tuple[Route, ...]:
    """Read and check route definitions (the format of ``data/routes.toml``)."""
    t = parse(text, name)
    routes = tuple(_route(r) for r in t.get_tables("routes"))
    t.done()
    keys = [r.key for r in routes]
    if len(set(keys)) != len(keys):
        raise DefinitionError(f"{name}: a code and version appear more than once")
    return routes


@cache
def shipped_routes() -> tuple[Route, ...]:
    """Every version of every base route shipped in ``data/routes.toml``."""
    text = (files("kansrijk.coordination") / "data" / "routes.toml").read_text(encoding="utf-8")
    return routes_from_toml(text, "routes.toml")


#: The latest version of each of the six base routes.
BASE_ROUTES: Final = latest(shipped_routes())


def route(code: str, version: int | None = None) -> Route:
    """The shipped base route ``code`` in ``version`` (the latest when None)."""
    found = [r for r in shipped_routes() if r.code == code and version in (None, r.version)]
    if not found:
        known = ", ".join(sorted({r.code for r in shipped_routes()}))
        wanted = code if version is None else f"{code} v{version}"
        raise KeyError(f"no route {wanted}; shipped: {known}")
    return max(found, key=lambda r: r.version)


def routes_for(
    flags: Iterable[str],
    situation: Situation | None = None,
    routes: Iterable[Route] = BASE_ROUTES,
) -> list[Route]:
    """The routes (latest version each) whose entry criteria hold, in the order given.

    Pass a coalition's `effective_routes` as ``routes`` to get its local variants.
    """
    found = frozenset(flags)
    return [r for r in latest(routes) if r.applies(found, situation)]


def propose(
    screening: Screening,
    situation: Situation | None = None,
    routes: Iterable[Route] = BASE_ROUTES,
) -> tuple[str, ...]:
    """The client routes a signal proposes, by code: nothing when the screening advises no
    referral; else the instrument's own proposals (``routes_by_flag``) followed by every route
    of ``routes`` whose entry criteria hold for the screening's flags or the family's
    ``situation``. Pass a coalition's `effective_routes` so that its local variants' entry
    criteria count."""
    if not (screening.above_threshold or screening.urgent):
        return ()
    matching = [r.code for r in routes_for(screening.flags, situation, routes)]
    return tuple(dict.fromkeys([*screening.proposed_routes, *matching]))
