"""Instruments: the shipped generic instrument, scoring by hand, validation and loading."""

from __future__ import annotations

import pytest

from kansrijk.coordination import (
    BASE_ROUTES,
    GENERIC_2026,
    Answer,
    AnswerError,
    AnswerKind,
    DataCategory,
    DefinitionError,
    Domain,
    Instrument,
    InstrumentError,
    Item,
    Option,
    SituationFlag,
    answer_categories,
    instrument,
    instrument_from_toml,
    scale,
    score,
)

DOMAINS = (
    "family",
    "work_income",
    "communication_education",
    "lifestyle",
    "previous_pregnancies",
    "current_pregnancy",
    "mental_wellbeing",
    "attachment_parenting",
)


def nothing_wrong() -> dict[str, Answer | None]:
    """Answers to every item of the generic instrument that earn no points."""
    answers: dict[str, Answer | None] = {}
    for item in GENERIC_2026.items:
        if item.kind is AnswerKind.YES_NO:
            answers[item.code] = False
        elif item.kind is AnswerKind.SCALE:
            answers[item.code] = 0
        else:
            answers[item.code] = next(o.code for o in item.options if o.points == 0)
    return answers


def test_generic_instrument_shape() -> None:
    g = GENERIC_2026
    assert (g.code, g.version, g.title_nl) == ("kansrijk_basis", 1, "Kansrijk basisinstrument")
    assert tuple(d.code for d in g.domains) == DOMAINS
    assert all(3 <= len(d.items) <= 5 for d in g.domains)
    assert {d.category for d in g.domains} >= {
        DataCategory.FAMILY,
        DataCategory.FINANCIAL,
        DataCategory.MEDICAL,
        DataCategory.PSYCHOSOCIAL,
        DataCategory.PARENTING,
    }
    assert {i.kind for i in g.items} == set(AnswerKind)
    assert g.max_total == 64 and g.threshold == 6
    assert g.flags == set(SituationFlag)
    assert "R4U" in g.about_nl and "ALPHA-NL" in g.about_en
    assert instrument("kansrijk_basis") is g


def test_every_flag_proposes_a_shipped_route_that_enters_on_it() -> None:
    codes = {r.code: r for r in BASE_ROUTES}
    assert set(GENERIC_2026.routes_by_flag) == set(SituationFlag)
    for flag, code in GENERIC_2026.routes_by_flag.items():
        assert codes[code].applies({flag})


def test_nothing_wrong_scores_zero() -> None:
    s = score(GENERIC_2026, nothing_wrong())
    assert (s.total, s.above_threshold, s.urgent, s.refer) == (0, False, False, False)
    assert s.per_domain == dict.fromkeys(DOMAINS, 0)
    assert s.flags == frozenset() and s.proposed_routes == ()
    assert s.answered == {i.code for i in GENERIC_2026.items}


def test_hand_computed_screening_above_threshold() -> None:
    answers = nothing_wrong() | {
        "inc_debts": True,  # 3 x 1 = 3, debts
        "inc_shortage": 2,  # 1 x 2 = 2, debts (flag_from 2)
        "men_low": 1,  # 1 x 1 = 1, below flag_from: no flag
        "cur_first_visit": "after_14",  # 1 x 2 = 2
    }
    s = score(GENERIC_2026, answers)
    assert s.total == 8
    assert s.per_domain["work_income"] == 5
    assert s.per_domain["mental_wellbeing"] == 1
    assert s.per_domain["current_pregnancy"] == 2
    assert (s.above_threshold, s.urgent) == (True, False)
    assert s.flags == {"debts"}
    assert s.proposed_routes == ("pregnant_debts",)


def test_flags_below_threshold_propose_nothing() -> None:
    s = score(GENERIC_2026, nothing_wrong() | {"fam_teenage": True, "fam_support": True})
    assert (s.total, s.refer, s.proposed_routes) == (4, False, ())
    assert s.flags == {"teenage"}


def test_urgent_item_refers_below_threshold_with_all_flags_raised() -> None:
    s = score(GENERIC_2026, nothing_wrong() | {"men_self_harm": True, "inc_insurance": True})
    assert (s.total, s.above_threshold, s.urgent, s.refer) == (5, False, True, True)
    assert s.proposed_routes == ("pregnant_debts", "psychological_problems")


def test_threshold_is_inclusive() -> None:
    s = score(GENERIC_2026, nothing_wrong() | {"fam_safety": True, "inc_debts": True})
    assert (s.total, s.above_threshold) == (6, True)


def test_answer_errors_name_every_item() -> None:
    answers = nothing_wrong()
    del answers["fam_teenage"]
    answers |= {
        "no_such_item": True,
        "inc_debts": 1,  # bool expected
        "men_low": True,  # int expected; a bool is not a scale value
        "men_worry": 4,
        "prev_children": "seven",
    }
    with pytest.raises(AnswerError) as err:
        score(GENERIC_2026, answers)
    problems = err.value.problems
    assert problems == (
        "item 'no_such_item': not in this instrument",
        "item 'fam_teenage': an answer is required",
        "item 'inc_debts': expected yes/no (bool), got int",
        "item 'prev_children': not one of its options (none, one_two, three_more)",
        "item 'men_low': expected a scale value 0-3 (int), got bool",
        "item 'men_worry': scale value outside 0-3",
    )
    assert "seven" not in str(err.value)  # answers are never echoed


def small(**changes: object) -> Instrument:
    items = (
        Item("a", "Vraag a?", "Question a?", AnswerKind.YES_NO, 2, frozenset({"x"})),
        Item("b", "Vraag b?", "Question b?", AnswerKind.SCALE, 1, options=scale(*[("n", "n")] * 4)),
        Item("c", "Vraag c?", "Question c?", AnswerKind.YES_NO, 1, required=False),
    )
    fields: dict[str, object] = {
        "code": "t",
        "version": 1,
        "title_nl": "T",
        "title_en": "T",
        "domains": (Domain("d", "D", "D", DataCategory.FAMILY, items),),
        "threshold": 3,
        "routes_by_flag": {"x": "route_x"},
    }
    return Instrument(**(fields | changes))  # type: ignore[arg-type]


def test_optional_items_may_be_left_out() -> None:
    s = score(small(), {"a": True, "b": 1, "c": None})
    assert (s.total, s.refer, s.proposed_routes) == (3, True, ("route_x",))
    assert s.answered == {"a", "b"}


def test_instrument_checks_itself() -> None:
    dup = Item("a", "x", "x", AnswerKind.YES_NO, 1)
    bad_scale = Item("s", "x", "x", AnswerKind.SCALE, 1, options=(Option("1", "x", "x", 1),))
    bad_choice = Item("c", "x", "x", AnswerKind.CHOICE, 1, options=(Option("o", "x", "x", 5),))
    urgent = Item("u", "x", "x", AnswerKind.YES_NO, 1, urgent=True)
    domains = (
        Domain("d", "D", "D", DataCategory.FAMILY, (dup, dup, bad_scale, bad_choice, urgent)),
    )
    with pytest.raises(InstrumentError) as err:
        small(domains=domains, threshold=99, routes_by_flag={"nope": "r"})
    text = str(err.value)
    for fragment in (
        "item codes are not unique: a",
        "item 's': a scale item has the options 0-3",
        "item 'c': a choice item needs two or more options",
        "item 'c': option points must lie in 0-3",
        "item 'u': an urgent item must point to at least one situation",
        "threshold 99 outside 1-",
        "routes_by_flag names flags no item raises: nope",
    ):
        assert fragment in text


def test_answer_categories_follow_the_answered_domains() -> None:
    answered = frozenset({"inc_debts", "men_low", "prev_loss"})
    assert answer_categories(GENERIC_2026, answered) == {
        DataCategory.FINANCIAL,
        DataCategory.PSYCHOSOCIAL,
        DataCategory.MEDICAL,
    }


def test_registry_errors() -> None:
    with pytest.raises(
        KeyError, match="no instrument kansrijk_basis v9; shipped: kansrijk_basis v1"
    ):
        instrument("kansrijk_basis", 9)
    assert instrument("kansrijk_basis", 1) is GENERIC_2026


MINIMAL = """
code = "mini"
version = 2
title_nl = "Mini"
title_en = "Mini"
threshold = 1

[[domains]]
code = "d"
title_nl = "D"
title_en = "D"
category = "family"

[[domains.items]]
code = "q"
kind = "choice"
weight = 1
text_nl = "Q?"
text_en = "Q?"
options = [
  { code = "a", nl = "A", en = "A", points = 0 },
  { code = "b", nl = "B", en = "B", points = 2 },
]
"""


def test_loading_a_definition() -> None:
    mini = instrument_from_toml(MINIMAL, "mini.toml")
    assert (mini.code, mini.version, mini.item("q").max_points) == ("mini", 2, 2)
    assert score(mini, {"q": "b"}).total == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("threshold = 1", 'threshold = "1"'), r"mini.toml.threshold: expected an integer"),
        (
            ("weight = 1", "weight = 1\nwieght = 2"),
            r"domains\[0\].items\[0\]: unknown key\(s\) wieght",
        ),
        (('kind = "choice"', 'kind = "slider"'), r"items\[0\].kind: expected one of yes_no"),
        (('category = "family"', 'category = "hobbies"'), r"domains\[0\].category: expected one"),
        (('code = "q"', ""), r"domains\[0\].items\[0\].code: missing"),
        (("version = 2", "version = "), r"mini.toml: not valid TOML"),
    ],
)
def test_loading_reports_where_a_definition_is_wrong(change: tuple[str, str], message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        instrument_from_toml(MINIMAL.replace(*change, 1), "mini.toml")


def test_loading_applies_the_instrument_rules() -> None:
    with pytest.raises(InstrumentError, match="threshold 5 outside 1-2"):
        instrument_from_toml(MINIMAL.replace("threshold = 1", "threshold = 5"), "mini.toml")


def test_find_instrument_gives_none_for_an_unshipped_version() -> None:
    from kansrijk.coordination.instruments import find_instrument

    assert find_instrument("kansrijk_basis", 1) is GENERIC_2026
    assert find_instrument("kansrijk_basis", 99) is None
    assert find_instrument("no_such_instrument") is None
