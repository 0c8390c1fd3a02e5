"""Secondary suppression on hand-made tables: one test per kind of group and choice rule."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from kansrijk.disclosure import apply_disclosure

from .synthetic import NO_HIERARCHY, Cell, Layout, cells_table, hierarchy_of, literal_cells


def _reasons(out: pa.Table) -> dict[str, object]:
    """Reason per cell, keyed region/breakdown value/period for readable asserts."""
    keys = zip(
        out["region_code"].to_pylist(),
        out["breakdown_value"].to_pylist(),
        out["period_start"].to_pylist(),
        out["period_end"].to_pylist(),
        strict=True,
    )
    return {
        f"{r}/{b}/{s}-{e}": reason
        for (r, b, s, e), reason in zip(keys, out["suppression_reason"].to_pylist(), strict=True)
    }


def _breakdown(total: tuple[int, int], parts: dict[str, tuple[int, int]]) -> list[Cell]:
    return [Cell(*total)] + [
        Cell(k, n, breakdown="income", breakdown_value=v) for v, (k, n) in parts.items()
    ]


def test_breakdown_hides_the_child_with_the_smallest_denominator() -> None:
    cells = _breakdown((75, 300), {"low": (5, 100), "mid": (30, 150), "high": (40, 50)})
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons == {
        "NL01/total/2020-2020": None,
        "NL01/low/2020-2020": "primary: numerator < 10",
        "NL01/mid/2020-2020": None,
        "NL01/high/2020-2020": "secondary: breakdown",
    }


def test_ties_go_to_the_smallest_breakdown_value() -> None:
    cells = _breakdown((75, 300), {"c": (5, 100), "b": (30, 100), "a": (40, 100)})
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons["NL01/a/2020-2020"] == "secondary: breakdown"
    assert reasons["NL01/b/2020-2020"] is None


def test_two_hidden_children_need_nothing_more() -> None:
    cells = _breakdown((30, 300), {"low": (5, 100), "mid": (5, 150), "high": (20, 50)})
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons["NL01/high/2020-2020"] is None
    assert reasons["NL01/total/2020-2020"] is None


def test_a_hidden_parent_takes_one_child_with_it() -> None:
    # Not additive (the function does not rely on it): the parent alone is small.
    cells = _breakdown((5, 300), {"low": (50, 100), "high": (40, 80)})
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons["NL01/high/2020-2020"] == "secondary: breakdown"
    assert reasons["NL01/low/2020-2020"] is None


def test_a_lone_hidden_child_takes_the_parent() -> None:
    cells = _breakdown((50, 500), {"only": (5, 100)})
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons["NL01/total/2020-2020"] == "secondary: breakdown"


REGIONS = hierarchy_of(
    [
        ("gemeente", "GM0001", "province", "PV20"),
        ("gemeente", "GM0002", "province", "PV20"),
        ("gemeente", "GM0003", "province", "PV21"),
        ("gemeente", "GM0004", "province", "PV21"),
        ("province", "PV20", "nl", "NL01"),
        ("province", "PV21", "nl", "NL01"),
        ("unknown", "NL00", "nl", "NL01"),
    ]
)


def _region_cells(counts: dict[str, tuple[int, int]]) -> list[Cell]:
    kinds = {"GM": "gemeente", "PV": "province", "NL00": "unknown", "NL01": "nl"}
    out = []
    for code, (k, n) in counts.items():
        kind = kinds[code] if code in kinds else kinds[code[:2]]
        out.append(Cell(k, n, region_type=kind, region_code=code))
    return out


def test_region_hiding_cascades_down_the_hierarchy() -> None:
    # NL00 is small -> the smaller province (PV21) is hidden -> PV21 alone hidden in its group
    # -> its smallest municipality (GM0004) is hidden.
    counts = {
        "GM0001": (20, 100),
        "GM0002": (30, 100),
        "GM0003": (20, 90),
        "GM0004": (15, 60),
        "PV20": (50, 200),
        "PV21": (35, 150),
        "NL00": (3, 40),
        "NL01": (88, 390),
    }
    reasons = _reasons(apply_disclosure(literal_cells(_region_cells(counts)), REGIONS))
    hidden = {key.split("/")[0]: r for key, r in reasons.items() if r is not None}
    assert hidden == {
        "NL00": "primary: numerator < 10",
        "PV21": "secondary: region",
        "GM0004": "secondary: region",
    }


def _pooled(years: list[int], counts: list[tuple[int, int]]) -> list[Cell]:
    cells = [Cell(k, n, period=(y, y)) for y, (k, n) in zip(years, counts, strict=True)]
    total = (sum(k for k, _ in counts), sum(n for _, n in counts))
    return [*cells, Cell(*total, period=(2019, 2021))]


def test_pooled_cell_groups_its_years() -> None:
    cells = _pooled([2019, 2020, 2021], [(5, 40), (20, 60), (20, 50)])
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons["NL01/total/2021-2021"] == "secondary: pooled"
    assert reasons["NL01/total/2020-2020"] is None
    assert reasons["NL01/total/2019-2021"] is None


def test_pooled_cell_without_all_years_forms_no_group() -> None:
    cells = _pooled([2019, 2020], [(5, 40), (20, 60)])  # 2021 absent
    reasons = _reasons(apply_disclosure(literal_cells(cells), NO_HIERARCHY))
    assert reasons["NL01/total/2020-2020"] is None


def test_hiding_for_one_hierarchy_is_followed_in_another() -> None:
    # One province with two municipalities, no unknown remainder cells of note, breakdown
    # low/high. GM0001/low is small -> GM0001/high (breakdown) -> GM0002/low and GM0002/high
    # (region, breakdown) in later iterations.
    layout = Layout(
        provinces=[["GM0001", "GM0002"]], years=[2020], breakdown_values=["high", "low"]
    )
    den = np.zeros((1, 1, 3, 2), dtype=np.int64)
    num = np.zeros_like(den)
    # leaves: GM0001, GM0002, NL00 x (high, low)
    den[0, 0] = [[100, 80], [120, 90], [200, 300]]
    num[0, 0] = [[30, 4], [40, 30], [50, 60]]
    out = apply_disclosure(cells_table(layout, num, den), layout.hierarchy())
    reasons = {k: v for k, v in _reasons(out).items() if v is not None}
    assert reasons == {
        "GM0001/low/2020-2020": "primary: numerator < 10",
        "GM0001/high/2020-2020": "secondary: breakdown",
        "GM0002/low/2020-2020": "secondary: region",
        "GM0002/high/2020-2020": "secondary: breakdown",  # chosen by both: first kind wins
    }
