"""Client routes: the six base routes, entry criteria (and their stored form), local variants,
deadlines, loading."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kansrijk.coordination import (
    BASE_ROUTES,
    DataCategory,
    DefinitionError,
    HasFlag,
    PartnerType,
    Route,
    RouteError,
    Situation,
    Step,
    deadline,
    effective_routes,
    local_variant,
    route,
    routes_for,
    routes_from_toml,
)
from kansrijk.coordination.instruments import Screening
from kansrijk.coordination.routes import (
    Criterion,
    IsStatusHolder,
    KraamzorgNotArrangedBy,
    MotherYoungerThan,
    check_entry,
    criteria_from_dicts,
    criteria_to_dicts,
    criterion_from_dict,
    criterion_to_dict,
    entry_problems,
    propose,
    screening_flags,
)

P = PartnerType


def test_the_six_base_routes_and_their_partners() -> None:
    partners = {r.code: tuple(s.partner_type for s in r.steps) for r in BASE_ROUTES}
    assert partners == {
        "pregnant_debts": (P.DEBT_COUNSELLING, P.DISTRICT_TEAM),
        "psychological_problems": (P.GP, P.JGZ),
        "teenage_pregnancy": (P.JGZ, P.MIDWIFERY),
        "status_holder": (P.GGD, P.DISTRICT_TEAM, P.MIDWIFERY),
        "substance_use": (P.MIDWIFERY, P.HOSPITAL),
        "no_kraamzorg": (P.KRAAMZORG, P.MIDWIFERY),
    }
    for r in BASE_ROUTES:
        assert (r.version, r.based_on, r.coalition) == (1, None, None)
        assert all(s.response_days in (5, 10) for s in r.steps)
        assert r.title_nl and r.title_en and r.situation_nl and r.situation_en


def test_routes_for_flags() -> None:
    assert [r.code for r in routes_for({"debts", "psychological"})] == [
        "pregnant_debts",
        "psychological_problems",
    ]
    assert routes_for(set()) == []
    assert routes_for({"housing"}) == []


# Due date 2026-09-01: week 34 starts 42 days earlier, on 2026-07-21.
DUE = date(2026, 9, 1)


def on(day: date, **facts: object) -> Situation:
    return Situation(on=day, **facts)  # type: ignore[arg-type]


MARCH = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("situation", "codes"),
    [
        (on(MARCH, due_date=DUE, mother_birth_date=date(2006, 9, 2)), {"teenage_pregnancy"}),
        (on(MARCH, due_date=DUE, mother_birth_date=date(2006, 9, 1)), set()),  # 20 at the due date
        (on(MARCH, mother_birth_date=date(2010, 1, 1)), set()),  # no due date: age unknown
        (on(MARCH, status_holder=True), {"status_holder"}),
        (on(date(2026, 7, 21), due_date=DUE, kraamzorg_arranged=False), {"no_kraamzorg"}),
        (on(date(2026, 7, 20), due_date=DUE, kraamzorg_arranged=False), set()),  # week 33
        (on(date(2026, 8, 1), due_date=DUE, kraamzorg_arranged=None), set()),  # unknown
        (on(date(2026, 8, 1), due_date=DUE, kraamzorg_arranged=True), set()),
    ],
)
def test_routes_for_situations(situation: Situation, codes: set[str]) -> None:
    assert {r.code for r in routes_for(set(), situation)} == codes


def test_situation_facts() -> None:
    s = Situation(on=date(2026, 7, 21), due_date=DUE, mother_birth_date=date(2008, 2, 29))
    assert (s.pregnancy_week, s.mother_age_at_due_date) == (34, 18)
    assert Situation(on=DUE, due_date=DUE).pregnancy_week == 40


def test_local_variant_keeps_its_link_and_changes_only_what_is_asked() -> None:
    base = route("pregnant_debts")
    variant = local_variant(
        base, "KS-utrecht", response_days={1: 3}, partner_types={2: PartnerType.WELFARE}
    )
    assert (variant.code, variant.version, variant.coalition) == ("pregnant_debts", 1, "KS-utrecht")
    assert variant.based_on == ("pregnant_debts", 1)
    assert [(s.partner_type, s.response_days) for s in variant.steps] == [
        (P.DEBT_COUNSELLING, 3),
        (P.WELFARE, 10),
    ]
    assert variant.entry == base.entry and variant.title_nl == base.title_nl
    assert base.step(1).response_days == 5  # the base is unchanged


def test_local_variant_with_own_steps_and_entry() -> None:
    base = route("no_kraamzorg")
    steps = (Step(1, "Kraamzorg bellen", "Call kraamzorg", P.KRAAMZORG, 2, DataCategory.MEDICAL),)
    variant = local_variant(base, "KS-x", version=3, steps=steps, entry=(HasFlag("no_kraamzorg"),))
    assert (variant.version, len(variant.steps), variant.entry) == (
        3,
        1,
        (HasFlag("no_kraamzorg"),),
    )
    with pytest.raises(RouteError, match=r"response_days names steps \[2\]"):
        local_variant(base, "KS-x", steps=steps, response_days={2: 4})
    with pytest.raises(RouteError, match="already a variant"):
        local_variant(variant, "KS-y")


def test_effective_routes_put_variants_in_place_of_their_base() -> None:
    mine_v1 = local_variant(route("substance_use"), "KS-a", response_days={1: 2})
    mine_v2 = local_variant(route("substance_use"), "KS-a", version=2, response_days={1: 3})
    theirs = local_variant(route("pregnant_debts"), "KS-b", response_days={1: 1})
    routes = effective_routes(BASE_ROUTES, [mine_v2, theirs, mine_v1], "KS-a")
    assert [r.code for r in routes] == [r.code for r in BASE_ROUTES]
    by_code = {r.code: r for r in routes}
    assert by_code["substance_use"] is mine_v2
    assert by_code["pregnant_debts"].coalition is None
    assert routes_for({"substance_use"}, routes=routes) == [mine_v2]


def test_route_rules() -> None:
    base = route("status_holder")
    with pytest.raises(RouteError, match=r"numbered 1, 2, \.\.\. in order"):
        replace(base, steps=base.steps[1:])
    with pytest.raises(RouteError, match="both a coalition and based_on"):
        replace(base, coalition="KS-a")
    with pytest.raises(RouteError, match="keeps its base's code"):
        replace(base, coalition="KS-a", based_on=("other", 1))
    with pytest.raises(RouteError, match="step 1: response_days must be at least 1"):
        Step(1, "x", "x", P.GGD, 0, DataCategory.MEDICAL)
    with pytest.raises(RouteError, match="step 1: unknown partner type"):
        Step(1, "x", "x", "dentist", 5, DataCategory.MEDICAL)  # type: ignore[arg-type]
    assert Step(1, "x", "x", "ggd", 5, "medical").partner_type is P.GGD  # type: ignore[arg-type]


def test_registry() -> None:
    assert route("teenage_pregnancy", 1) is route("teenage_pregnancy")
    with pytest.raises(KeyError, match="no route teenage_pregnancy v2"):
        route("teenage_pregnancy", 2)


@pytest.mark.parametrize(
    ("sent", "days", "due"),
    [
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Monday -> next Monday
        (date(2026, 3, 6), 5, date(2026, 3, 13)),  # Friday -> next Friday
        (date(2026, 3, 7), 5, date(2026, 3, 13)),  # Saturday: counting starts Monday
        (date(2026, 3, 8), 1, date(2026, 3, 9)),  # Sunday -> Monday
        (date(2025, 12, 23), 5, date(2026, 1, 2)),  # over Christmas, Boxing Day, New Year
        (date(2026, 12, 24), 5, date(2027, 1, 4)),  # into the next year, over a weekend
        (date(2026, 3, 30), 5, date(2026, 4, 8)),  # over Good Friday and Easter Monday 2026
        (date(2026, 4, 24), 10, date(2026, 5, 12)),  # King's Day (Mon 27/4) and 5 May
    ],
)
def test_deadline_counts_working_days(sent: date, days: int, due: date) -> None:
    step = replace(route("pregnant_debts").step(1), response_days=days)
    assert deadline(sent, step) == due


TOML = """
[[routes]]
code = "r"
version = 1
title_nl = "R"
title_en = "R"
situation_nl = "S"
situation_en = "S"
entry = [{ flag = "x" }]

[[routes.steps]]
title_nl = "Stap"
title_en = "Step"
partner_type = "jgz"
response_days = 5
shares = "parenting"
"""


def test_loading_routes() -> None:
    (r,) = routes_from_toml(TOML)
    assert isinstance(r, Route) and r.step(1).shares is DataCategory.PARENTING


FLAG = '{ flag = "x" }'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (FLAG, '{ flag = "x", status_holder = true }'),
            r"routes\[0\].entry\[0\]: an entry criterion has exactly one",
        ),
        ((FLAG, "{ status_holder = false }"), r"status_holder: only `status_holder = true`"),
        (('"jgz"', '"dentist"'), r"steps\[0\].partner_type: expected one of municipality"),
        (('"parenting"', '"hobbies"'), r"steps\[0\].shares: expected one of identity"),
        (("= 5", '= "5"'), r"steps\[0\].response_days: expected an integer"),
    ],
)
def test_loading_reports_where_a_route_is_wrong(change: tuple[str, str], message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        routes_from_toml(TOML.replace(*change, 1))


def test_loading_refuses_duplicate_versions() -> None:
    with pytest.raises(DefinitionError, match="more than once"):
        routes_from_toml(TOML + TOML)


# --- entry criteria in their stored form ------------------------------------------------------


def test_criteria_round_trip_in_the_shape_of_routes_toml() -> None:
    stored = [
        {"flag": "debts"},
        {"mother_younger_than": 20},
        {"status_holder": True},
        {"kraamzorg_not_arranged_by_week": 34},
    ]
    entry = criteria_from_dicts(stored)
    assert entry == (
        HasFlag("debts"),
        MotherYoungerThan(20),
        IsStatusHolder(),
        KraamzorgNotArrangedBy(34),
    )
    assert criteria_to_dicts(entry) == stored
    for r in BASE_ROUTES:  # every shipped criterion survives the trip
        assert criteria_from_dicts(criteria_to_dicts(r.entry)) == r.entry
        assert all(criterion_from_dict(criterion_to_dict(c)) == c for c in r.entry)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"flag": "x", "status_holder": True}, r"entry\[0\]: an entry criterion has exactly one"),
        ({}, "exactly one"),
        ({"age": 3}, "exactly one"),
        ({"status_holder": False}, "only `status_holder = true`"),
        ({"mother_younger_than": "20"}, r"entry\[0\].mother_younger_than: expected an integer"),
        ({"kraamzorg_not_arranged_by_week": True}, "expected an integer"),
        ({"flag": 3}, r"entry\[0\].flag: expected a string"),
        ("debts", "a table with one key"),
    ],
)
def test_stored_criteria_follow_the_rules_of_the_file(raw: object, message: str) -> None:
    with pytest.raises(RouteError, match=message):
        criteria_from_dicts([raw])  # type: ignore[list-item]


def test_the_known_flags_are_those_the_instruments_raise() -> None:
    flags = screening_flags()
    assert {"debts", "teenage", "no_kraamzorg"} <= flags and "housing" not in flags
    for r in BASE_ROUTES:  # the base routes ask only for flags a screening raises
        assert entry_problems(r.entry) == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ((), "at least one entry criterion"),
        ((HasFlag("debts"), HasFlag("debts")), "more than once"),
        ((HasFlag("housing"),), "no screening raises the flag 'housing'"),
        ((MotherYoungerThan(11),), "mother_younger_than must lie in 12-30"),
        ((MotherYoungerThan(31),), "mother_younger_than must lie in 12-30"),
        ((KraamzorgNotArrangedBy(0),), "kraamzorg_not_arranged_by_week must lie in 1-42"),
        ((KraamzorgNotArrangedBy(43),), "kraamzorg_not_arranged_by_week must lie in 1-42"),
    ],
)
def test_entry_problems(entry: tuple[Criterion, ...], problem: str) -> None:
    assert any(problem in p for p in entry_problems(entry))
    with pytest.raises(RouteError, match="entry criteria: "):
        check_entry(entry)


def test_entry_within_bounds_and_own_flags() -> None:
    fine = (MotherYoungerThan(12), MotherYoungerThan(30), KraamzorgNotArrangedBy(1))
    assert entry_problems(fine) == []
    assert entry_problems((HasFlag("housing"),), flags={"housing"}) == []


def test_a_variant_with_stored_criteria_proposes_for_its_own_situations() -> None:
    base = route("teenage_pregnancy")
    variant = local_variant(
        base, "KS-x", entry=criteria_from_dicts([{"flag": "teenage"}, {"mother_younger_than": 23}])
    )
    mother_21 = on(MARCH, due_date=DUE, mother_birth_date=date(2005, 6, 1))
    assert mother_21.mother_age_at_due_date == 21
    assert [r.code for r in routes_for(set(), mother_21, [variant])] == ["teenage_pregnancy"]
    assert routes_for(set(), mother_21, [base]) == []
    mine = effective_routes(BASE_ROUTES, [variant], "KS-x")
    assert "teenage_pregnancy" in {r.code for r in routes_for(set(), mother_21, mine)}
    assert "teenage_pregnancy" not in {r.code for r in routes_for(set(), mother_21)}


def _screening(flags: set[str], refer: bool, proposed: tuple[str, ...] = ()) -> Screening:
    return Screening(
        instrument="kansrijk_basis",
        version=1,
        total=10 if refer else 0,
        per_domain={},
        above_threshold=refer,
        urgent=False,
        flags=frozenset(flags),
        proposed_routes=proposed,
        answered=frozenset(),
    )


def test_propose_routes_for_a_signal() -> None:
    day = date(2026, 6, 1)
    young = Situation(on=day, due_date=date(2026, 9, 1), mother_birth_date=date(2007, 1, 1))
    # No referral advised: nothing, whatever the flags and the situation.
    assert propose(_screening({"debts", "teenage"}, refer=False), young) == ()
    # The instrument's proposals first, then the routes whose criteria hold, each once.
    found = propose(_screening({"debts"}, refer=True, proposed=("pregnant_debts",)), young)
    assert found == ("pregnant_debts", "teenage_pregnancy")  # 19 on the due date
    older = Situation(on=day, due_date=date(2026, 9, 1), mother_birth_date=date(1990, 1, 1))
    assert propose(_screening({"debts"}, refer=True), older) == ("pregnant_debts",)
    # A local variant's own criteria count when its routes are passed.
    variant = local_variant(
        route("teenage_pregnancy"), "coalition-1", entry=(MotherYoungerThan(40),)
    )
    assert propose(_screening(set(), refer=True), older, [variant]) == ("teenage_pregnancy",)
