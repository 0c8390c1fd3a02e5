"""The key integration test: the demo's registry and questionnaire give RIVM's figures.

Loads the coalition registry demo and the questionnaire demo (both from
`kansrijk.web.demo_plan.demo_plan()`), publishes through the real service functions and the
publication gate, and compares with the published national figures (spec: "Published national
figures"; RIVM, Monitor Kansrijke Start 2021), percentages rounded as published.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kansrijk.web.accounts.roles import Role
from kansrijk.web.programme import services
from kansrijk.web.programme.charts import whole_percent
from tests.web import factories as f

pytestmark = pytest.mark.django_db

#: (figure, year, breakdown value) -> (numerator or None, denominator or None, "%" or None)
PUBLISHED: dict[tuple[str, int, str], tuple[int | None, int | None, str | None]] = {
    # 1: coalitions (Table 1)
    ("2019-01", 2019, "total"): (40, 147, "27%"),
    ("2019-01r", 2019, "total"): (40, 140, "29%"),
    ("2019-01", 2020, "total"): (59, 275, "21%"),
    ("2019-01r", 2020, "total"): (59, 251, "24%"),
    ("2019-01", 2021, "total"): (140, 273, "51%"),
    ("2019-01r", 2021, "total"): (140, 217, "65%"),
    ("2019-01u", 2021, "total"): (56, 273, None),
    ("2019-01s", 2019, "preparing"): (89, 147, "61%"),
    ("2019-01s", 2020, "preparing"): (149, 275, "54%"),
    ("2019-01s", 2021, "preparing"): (67, 273, "25%"),
    ("2019-01rs", 2019, "preparing"): (89, 140, "64%"),
    ("2019-01rs", 2020, "preparing"): (149, 251, "59%"),
    ("2019-01rs", 2021, "preparing"): (67, 217, "31%"),
    ("2019-01s", 2021, "none"): (10, 273, "4%"),
    # 2: plan of action
    ("2019-02", 2020, "total"): (None, 275, "48%"),
    ("2019-02", 2021, "total"): (153, 273, "56%"),
    ("2019-02r", 2021, "total"): (153, 217, "71%"),
    ("2019-02s", 2021, "finished"): (72, 273, None),
    ("2019-02s", 2021, "in_development"): (81, 273, None),
    ("2019-02u", 2021, "total"): (56, 273, None),
    # 3: Nu Niet Zwanger
    ("2019-03", 2021, "total"): (38, 50, "76%"),
    ("2019-03j", 2021, "total"): (138, None, None),
    ("2019-03a", 2021, "total"): (176, 352, "50%"),
    ("2019-03a", 2020, "total"): (135, 355, None),
    # 4: prenatal home visits by JGZ
    ("2019-04", 2020, "total"): (None, None, "65%"),
    ("2019-04", 2021, "total"): (169, 224, "75%"),
    # 5: VoorZorg
    ("2019-05", 2019, "total"): (117, None, "33%"),
    ("2019-05", 2020, "total"): (130, None, "37%"),
    ("2019-05", 2021, "total"): (150, 352, "43%"),
    # 6: CenteringZwangerschap
    ("2019-06", 2019, "total"): (194, None, "33%"),
    ("2019-06", 2020, "total"): (203, None, "35%"),
    ("2019-06", 2021, "total"): (229, 590, "39%"),
    # 9: CenteringOuderschap
    ("2019-09", 2019, "total"): (8, 36, None),
    ("2019-09", 2020, "total"): (8, 36, None),
    ("2019-09", 2021, "total"): (9, 36, None),
}


def _differences(rows: list[dict[str, Any]]) -> list[str]:
    found = {(r["indicator_id"], r["edition"], r["breakdown_value"]): r for r in rows}
    wrong = []
    for key, (num, den, pct) in PUBLISHED.items():
        row = found.get(key)
        if row is None:
            wrong.append(f"{key}: missing")
            continue
        got = (
            row["numerator"] if num is not None else None,
            row["denominator"] if den is not None else None,
            whole_percent(row["value"]) if pct is not None else None,
        )
        if got != (num, den, pct):
            wrong.append(f"{key}: published {(num, den, pct)}, computed {got}")
    return wrong


def test_the_demo_gives_the_published_figures() -> None:
    from kansrijk.web.coalitions import demo as coalitions_demo
    from kansrijk.web.survey import demo as survey_demo

    coalitions_demo.load()
    survey_demo.load()
    out = services.publish_programme_indicators()

    rows = services.load_published(out)
    assert rows is not None
    assert _differences(rows) == []
    assert not any(r["suppressed"] for r in rows)
    manifest = services.load_manifest(out)
    assert manifest is not None
    assert manifest["years"] == [2019, 2020, 2021]
    assert manifest["reference_dates"]["2021"] == {
        "questionnaire": "2021-09-20",
        "registries": "2021-10-01",
    }
    assert manifest["disclosure"]["policy"] == {
        "subject": "organisations",
        "threshold": 0,
        "protection_level": 0.0,
    }
    assert {r["run_id"] for r in rows} == {manifest["run_id"]}

    # and the page shows them (from the published files, not recomputed)
    client = f.signed_in(f.user(role=Role.POLICY_ADVISOR))
    html = client.get(reverse("programme:indicators"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    coalitions = html.split('id="indicator-1"')[1].split('id="indicator-2"')[0]
    for text in ("140", "273", "217", "51%", "65%", "56", "Sept. 20, 2021"):
        assert text in coalitions, text
