"""Facts from the service functions, publishing and reading back (service calls faked)."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kansrijk.programme import Answers, CoalitionStatus
from kansrijk.web.coalitions import services as coalitions
from kansrijk.web.programme import facts, services
from kansrijk.web.programme.charts import trend_chart, whole_percent
from kansrijk.web.survey import services as survey

CALLS: list[tuple[str, object]] = []


@pytest.fixture
def fake_services(monkeypatch: pytest.MonkeyPatch) -> None:
    CALLS.clear()
    c, s = coalitions, survey  # the modules facts.py calls

    def record(name: str, value: object) -> object:
        def call(*args: object) -> object:
            CALLS.append((name, args))
            return value

        return call

    monkeypatch.setattr(s, "reference_date", record("reference_date", date(2021, 9, 20)))
    monkeypatch.setattr(
        s,
        "submitted_answers",
        record(
            "submitted_answers",
            {
                "GM0001": {"coalition_status": "formed", "plan_status": None, "phb_offered": "yes"},
                "GM0002": {"coalition_status": None, "plan_status": None, "phb_offered": None},
            },
        ),
    )
    monkeypatch.setattr(c, "municipality_codes", record("municipality_codes", {"GM0001", "GM0002"}))
    monkeypatch.setattr(c, "impuls_municipalities", record("impuls", {"GM0001", "GM0002"}))
    monkeypatch.setattr(c, "nnz_centres", record("nnz_centres", ({"GM0001"}, {"GM0001"})))
    monkeypatch.setattr(c, "nnz_joined", record("nnz_joined", {"GM0002"}))
    monkeypatch.setattr(c, "voorzorg", record("voorzorg", ({"GM0001", "GM0002"}, {"GM0002"})))
    monkeypatch.setattr(c, "centering_practices", record("practices", ({1, 2}, {2})))
    monkeypatch.setattr(c, "centering_ouderschap", record("ouderschap", ({1, 2, 3}, {3})))


def test_build_facts_uses_the_reference_dates(fake_services: None) -> None:
    built = facts.build_facts(2021)
    assert built.survey_date == date(2021, 9, 20)
    assert built.registry_date == date(2021, 10, 1)
    assert built.impuls == {"GM0001", "GM0002"}
    assert built.answers["GM0001"] == Answers(CoalitionStatus.FORMED, None, True)
    assert built.answers["GM0002"] == Answers()
    assert built.centering_trained == {2}
    calls = dict(CALLS)
    assert calls["reference_date"] == (2021,)
    assert calls["submitted_answers"] == (2021, facts.QUESTIONS)
    assert calls["impuls"] == (2021, date(2021, 9, 20))  # Impuls on the questionnaire's date
    assert calls["voorzorg"] == (2021, date(2021, 10, 1))
    assert calls["nnz_centres"] == (date(2021, 10, 1),)
    assert calls["practices"] == (date(2021, 10, 1),)


def test_publish_and_load(fake_services: None, tmp_path: Path) -> None:
    assert services.load_published(tmp_path) is None
    assert services.load_manifest(tmp_path) is None
    out = services.publish_programme_indicators(years=(2021,), out_dir=tmp_path)
    assert out == tmp_path
    rows = services.load_published(tmp_path)
    assert rows is not None
    by_id = {(r["indicator_id"], r["breakdown_value"]): r for r in rows}
    assert (by_id["2019-01", "total"]["numerator"], by_id["2019-01", "total"]["denominator"]) == (
        1,
        2,
    )
    assert by_id["2019-01u", "total"]["numerator"] == 1
    assert by_id["2019-09", "total"]["value"] == pytest.approx(100 / 3)
    manifest = services.load_manifest(tmp_path)
    assert manifest is not None and manifest["years"] == [2021]
    assert services.download_path("csv", tmp_path) == tmp_path / "results.csv"
    assert services.download_path("exe", tmp_path) is None


def test_default_output_follows_the_settings(fake_services: None) -> None:
    out = services.publish_programme_indicators(years=(2021,))
    assert out == services.results_dir()
    assert out.name == "programme" and (out / "results.parquet").is_file()


def test_management_command(fake_services: None) -> None:
    stdout = StringIO()
    call_command("programme_publish", "--years", "2021", stdout=stdout)
    assert "Published" in stdout.getvalue()
    assert services.load_published() is not None
    with pytest.raises(CommandError, match="expected"):
        call_command("programme_publish", "--years", "twenty")
    with pytest.raises(CommandError, match="2024"):
        call_command("programme_publish", "--years", "2024")


def test_chart_is_accessible_svg() -> None:
    svg = str(trend_chart("c1", "Title <x>", "2019: 27%", [(2019, 27.2), (2020, None)]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Title &lt;x&gt;</title>' in svg
    assert ">27%<" in svg and ">–<" in svg  # values as text, a dash for the missing year
    assert svg.count("<rect") == 1


def test_whole_percent_rounds_half_up() -> None:
    assert whole_percent(64.5) == "65%"
    assert whole_percent(64.516) == "65%"
    assert whole_percent(21.45) == "21%"
    assert whole_percent(0.0) == "0%"
