"""Every deviation of every definition has a Dutch text, kept in step with its English source."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from kansrijk.indicators import catalogue
from kansrijk.report.deviations_nl import (
    DEVIATIONS_NL,
    deviation_key,
    deviations,
    dutch_deviation,
)

from .definitions import in_force
from .english import english_words

DEFINITIONS = list(dict.fromkeys(in_force()))
ENGLISH = list(dict.fromkeys(text for d in DEFINITIONS for text in d.deviations))
PARAMS = [pytest.param(text, id=deviation_key(text)) for text in ENGLISH]


def test_the_catalogue_has_deviations() -> None:
    assert len(ENGLISH) >= 25
    assert sum(bool(d.deviations) for d in DEFINITIONS) >= 20


@pytest.mark.parametrize("english", PARAMS)
def test_every_deviation_has_a_dutch_text(english: str) -> None:
    """Fails for a new deviation and for an edited one (its key is the hash of its English)."""
    assert deviation_key(english) in DEVIATIONS_NL, (
        f"no Dutch text for {deviation_key(english)}: {english}"
    )


def test_no_stale_translations() -> None:
    """A translation whose English text is gone (edited or removed) must go too."""
    current = {deviation_key(text) for text in ENGLISH}
    assert set(DEVIATIONS_NL) == current


@pytest.mark.parametrize("english", PARAMS)
def test_dutch_keeps_the_numbers_and_is_dutch(english: str) -> None:
    dutch = dutch_deviation(english)
    assert dutch != english
    missing = set(re.findall(r"\d+", english)) - set(re.findall(r"\d+", dutch))
    assert not missing, (deviation_key(english), missing)
    assert not english_words(dutch), (deviation_key(english), english_words(dutch))


def test_an_edited_english_text_loses_its_translation() -> None:
    text = ENGLISH[0]
    assert deviation_key(text) != deviation_key(text + " ")
    with pytest.raises(KeyError, match="no Dutch text for deviation"):
        dutch_deviation(text.replace("RIVM", "the RIVM"))


def test_reports_get_dutch_and_fall_back_to_marked_english() -> None:
    (d,) = [d for d in catalogue(2021) if d.id == "2019-13"]
    (dev,) = deviations(d, "nl")
    assert dev.lang == "nl" and dev.text.startswith("Alleen JGZ-organisaties")
    (dev_en,) = deviations(d, "en")
    assert dev_en.lang == "en" and dev_en.text == d.deviations[0]
    untranslated = replace(d, deviations=("A brand new choice.",))
    (fallback,) = deviations(untranslated, "nl")
    assert fallback.lang == "en" and fallback.text == "A brand new choice."
