"""The detector on a Dutch test text: names, places, organisations and the details
``coordination.identifying`` finds; ordinary words that are also names are left alone at the
start of a sentence; applying the reviewed replacements."""

from __future__ import annotations

from kansrijk.web.experiences.pseudonymise import Kind, Lexicon, apply, detect, proposals

TEXT = (
    "Interviewer: Hoe verliep de samenwerking in Zwolle?\n"
    "Anna de Vries: Goed. Met mevrouw Kwakman van Kraamzorg De Wieg bel ik elke week. "
    "Ook Stichting Thuisgenoten en het Wijkteam Oost doen mee, en de GGD IJsselland.\n"
    "Interviewer: En in Den Haag?\n"
    "Anna de Vries: Daar werkt Bram Jansen, bereikbaar op 06-12345678 of bram@example.nl. "
    "Bos en veld zijn hier ver weg. Best is dat we elkaar kennen. "
    "Ik woon op de Dorpsstraat 12, 8011 AB Zwolle."
)
LEXICON = Lexicon(
    places=("Zwolle", "Best", "Amsterdam"),
    organisations=("Wijkteam Oost",),
    names=("Anna de Vries",),
)


def _found(text: str = TEXT, lexicon: Lexicon = LEXICON) -> dict[str, Kind]:
    return {p.text: p.kind for p in proposals(text, detect(text, lexicon))}


def test_names_places_and_organisations_are_found() -> None:
    found = _found()
    assert found["Anna de Vries"] == Kind.NAME
    assert found["Kwakman"] == Kind.NAME  # after "mevrouw"
    assert found["Bram Jansen"] == Kind.NAME  # given name + family name
    assert found["Zwolle"] == Kind.PLACE
    assert found["Den Haag"] == Kind.PLACE
    assert found["Kraamzorg De Wieg"] == Kind.ORGANISATION
    assert found["Stichting Thuisgenoten"] == Kind.ORGANISATION
    assert found["Wijkteam Oost"] == Kind.ORGANISATION  # from the database
    assert found["GGD IJsselland"] == Kind.ORGANISATION
    assert found["06-12345678"] == Kind.PHONE
    assert found["bram@example.nl"] == Kind.EMAIL
    assert found["Dorpsstraat 12"] == Kind.ADDRESS
    assert found["8011 AB"] == Kind.POSTCODE


def test_ordinary_words_at_the_start_of_a_sentence_are_not_names() -> None:
    found = _found()
    assert "Bos" not in found
    assert "Best" not in found  # a municipality, but here "Best is dat ..."
    assert "Interviewer" not in found
    assert "Goed" not in found


def test_family_names_after_a_prefix_and_inside_a_sentence() -> None:
    found = _found("We spraken met de heer van den Berg en met Visser over Bakker.", Lexicon())
    assert found["van den Berg"] == Kind.NAME
    assert found["Visser"] == Kind.NAME
    assert found["Bakker"] == Kind.NAME


def test_proposals_group_occurrences() -> None:
    zwolle = next(p for p in proposals(TEXT, detect(TEXT, LEXICON)) if p.text == "Zwolle")
    assert zwolle.count == 2
    assert zwolle.label == "[Plaats]"
    assert "⟦Zwolle⟧" in zwolle.context


def test_apply_replaces_every_whole_occurrence() -> None:
    text, count = apply(
        TEXT,
        {
            "Anna de Vries": "[P01 Zorgverlener]",
            "Zwolle": "[Plaats]",
            "Kwakman": "[Naam]",
            "bram@example.nl": "[E-mailadres]",
        },
    )
    assert "Zwolle" not in text and "Anna" not in text and "Kwakman" not in text
    assert text.count("[P01 Zorgverlener]:") == 2
    assert count == 2 + 2 + 1 + 1
    assert apply("Zwolleweg en Zwolle", {"Zwolle": "[Plaats]"}) == ("Zwolleweg en [Plaats]", 1)
    assert apply("niets", {}) == ("niets", 0)
