"""Demo monitor results: built from synthetic data on first start, skipped when there are some."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from kansrijk.publication import Publication
from kansrijk.web.accounts.roles import Role
from kansrijk.web.monitor import demo
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def test_load_demo_keeps_existing_results(results: Path) -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert f"Monitor results found in {results}" in out.getvalue()


def test_load_demo_can_skip_the_monitor(no_results: Path) -> None:
    out = io.StringIO()
    call_command("load_demo", "--no-monitor", stdout=out)
    assert not no_results.exists()
    assert "synthetic" not in out.getvalue()


def test_the_setting_skips_the_monitor(no_results: Path) -> None:
    out = io.StringIO()
    with override_settings(KANSRIJK_DEMO_MONITOR=False):
        call_command("load_demo", stdout=out)
    assert not no_results.exists()
    assert "synthetic" not in out.getvalue()


def test_monitor_demo_refuses_existing_results(results: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already holds monitor results"):
        call_command("monitor_demo")


@pytest.mark.slow
def test_demo_results_are_built_and_shown(no_results: Path) -> None:
    messages: list[str] = []
    demo.build_demo_results(no_results, echo=messages.append)
    assert "about 20 seconds" in messages[0]
    assert demo.has_results(no_results)
    assert json.loads((no_results / "demo.json").read_text())["synthetic"] is True
    assert not [p for p in no_results.parent.iterdir() if p.name.startswith(".monitor-demo-")]
    published = Publication.open(no_results)
    assert published.years == (2016, 2017, 2018, 2019, 2020)
    assert published.classification_year == 2023
    client = f.signed_in(f.user(role=Role.POLICY_ADVISOR, org=f.organisation()))
    html = client.get("/monitor/gemeente/GM0363/").content.decode()
    assert published.manifest["synthetic"] is True
    assert "deze cijfers komen uit een gegenereerde, fictieve populatie" in html
