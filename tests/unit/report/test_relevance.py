"""Why an indicator matters: a text for every indicator a factsheet can show, in Dutch and
English, each citing its seed source."""

from __future__ import annotations

import inspect
import re

import pytest

from kansrijk.indicators import catalogue
from kansrijk.programme import PROGRAMME_INDICATORS
from kansrijk.report import relevance as module
from kansrijk.report.relevance import RELEVANCE, relevance

from .english import english_words

#: Every edition the catalogue defines: a factsheet shows the indicators of its run's edition.
EDITIONS = range(2019, 2026)
FACTSHEET_IDS = sorted(
    {d.id for e in EDITIONS for d in catalogue(e)} | {d.id for d in PROGRAMME_INDICATORS}
)


def test_every_indicator_of_a_factsheet_has_a_text() -> None:
    missing = [i for i in FACTSHEET_IDS if i not in RELEVANCE]
    assert not missing, f"add a text to kansrijk.report.relevance.RELEVANCE for {missing}"
    assert len(FACTSHEET_IDS) >= 37


def test_no_text_for_an_unknown_indicator() -> None:
    assert set(RELEVANCE) <= set(FACTSHEET_IDS)
    assert relevance("1999-01") is None


@pytest.mark.parametrize("indicator_id", FACTSHEET_IDS)
def test_texts_are_short_dutch_and_english(indicator_id: str) -> None:
    nl, en = relevance(indicator_id, "nl"), relevance(indicator_id, "en")
    assert nl and en and nl != en
    assert 60 < len(nl) < 400 and 60 < len(en) < 400
    assert not english_words(nl), english_words(nl)
    assert english_words(en)  # the English really is English


def test_each_text_cites_its_seed_source() -> None:
    source = inspect.getsource(module)
    definitions = re.findall(r"((?:#[^\n]*\n)+)(_[A-Z0-9_]+) = Relevance\(", source)
    defined = set(re.findall(r"^(_[A-Z0-9_]+) = Relevance\(", source, re.M))
    assert {name for _, name in definitions} == defined and len(defined) >= 19
    for comment, name in definitions:
        assert "seed 002_824f78fbab14ab60" in comment, f"{name}: cite the seed document"
