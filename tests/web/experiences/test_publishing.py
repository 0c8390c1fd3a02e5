"""``manage experiences_publish``: the approved quotes through the gate's writer of texts, with
the coalition of the session; read back by the report; a withdrawal's quotes are gone after
publishing again."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kansrijk.report.build import local_html, national_html
from kansrijk.report.experiences import COLUMNS, read, section
from kansrijk.web.coalitions.models import CoalitionMunicipality, Municipality
from kansrijk.web.experiences import services
from kansrijk.web.experiences.models import Respondent
from kansrijk.web.experiences.pseudonymise import is_identifying
from kansrijk.web.experiences.publishing import publish_quotes, results_dir
from tests.unit.report.fixtures import published
from tests.web.coalitions.builders import coalition

from .test_quotes import F1, F3, World, _world

pytestmark = pytest.mark.django_db


def _approved(w: World) -> None:
    for key, theme, text in (
        ("f1", "Samenwerking", "De samenwerking … gaat veel beter"),
        ("f3", "Betrokkenheid (aanstaande) ouders", F3),
    ):
        quote = services.propose_quote(w.fragments[key], w.a, w.codes[theme], text)
        services.approve_quote(quote, w.b)


def _with_coalition(w: World) -> None:
    amsterdam, _ = Municipality.objects.get_or_create(
        code="GM0363",
        defaults={
            "name": "Amsterdam",
            "province_code": "PV27",
            "province_name": "Noord-Holland",
            "valid_from": date(2015, 1, 1),
        },
    )
    group = coalition("Kansrijke Start Aan de Amstel")
    CoalitionMunicipality.objects.create(
        coalition=group, municipality=amsterdam, valid_from=date(2019, 1, 1)
    )
    Respondent.objects.filter(pk__in=[w.p1.pk, w.p3.pk]).update(coalition=group)


def test_the_command_publishes_role_theme_and_text_only() -> None:
    w = _world()
    _with_coalition(w)
    _approved(w)
    out = StringIO()
    call_command("experiences_publish", stdout=out)
    assert "Published 2 quote(s) of 1 round(s)" in out.getvalue()
    directory = results_dir()
    table = pq.read_table(directory / "quotes.parquet")
    assert tuple(table.column_names) == COLUMNS
    rows = table.to_pylist()
    assert [(r["theme"], r["role_label"], r["text"]) for r in rows] == [
        ("Samenwerking", "Projectleider Lokale Coalitie", "De samenwerking … gaat veel beter"),
        ("Betrokkenheid (aanstaande) ouders", "Ervaringsdeskundige", F3),
    ]
    assert {r["municipalities"] for r in rows} == {"GM0363"}
    assert {r["round"] for r in rows} == {"Monitor 2021"}
    written = (directory / "quotes.csv").read_text("utf-8") + json.dumps(
        json.loads((directory / "manifest.json").read_text("utf-8"))
    )
    for absent in ("P01", "P03", "onderzoeker_a", "Groepsgesprek", "Aan de Amstel", "2021-10-05"):
        assert absent not in written
    quotes, _ = read(directory)
    found = section(quotes, is_identifying)
    assert [g.theme for g in found.professionals] == ["Samenwerking"]
    assert [g.theme for g in found.experts_by_experience] == ["Betrokkenheid (aanstaande) ouders"]
    html = national_html(published(), "nl", experiences=found)
    assert "De samenwerking … gaat veel beter" in html and F3 in html
    local = local_html(
        published(),
        "GM0363",
        "nl",
        experiences=section(quotes, is_identifying, municipality="GM0363"),
    )
    assert F3 in local
    other = local_html(
        published(),
        "GM0362",
        "nl",
        experiences=section(quotes, is_identifying, municipality="GM0362"),
    )
    assert F3 not in other


def test_a_withdrawn_participants_quote_is_gone_after_publishing_again() -> None:
    w = _world()
    _approved(w)
    publish_quotes()
    before = [q.text for q in read(results_dir())[0]]
    assert F3 in before
    services.withdraw(w.p3, w.a)
    done = publish_quotes()
    assert done.quotes == 1
    after = [q.text for q in read(results_dir())[0]]
    assert F3 not in after and "De samenwerking … gaat veel beter" in after
    html = national_html(
        published(), "nl", experiences=section(read(results_dir())[0], is_identifying)
    )
    assert F3 not in html


def test_a_quote_that_no_longer_passes_is_left_out(tmp_path: Path) -> None:
    w = _world()
    _approved(w)
    # "Zonnekind" became known as an organisation after approval: the F1 quote names it
    services.propose_quote(w.fragments["f1"], w.a, w.codes["Samenwerking"], F1)
    quote = w.round.quotes.get(text=F1, approved_at__isnull=True)
    services.approve_quote(quote, w.b)
    from tests.web import factories as f

    f.organisation("Zonnekind")
    done = publish_quotes(out_dir=tmp_path / "q")
    assert done.left_out == 1 and done.quotes == 2
    assert F1 not in [q.text for q in read(tmp_path / "q")[0]]


def test_an_unknown_round_is_refused() -> None:
    with pytest.raises(CommandError, match="no study round"):
        call_command("experiences_publish", "--round", "999")
