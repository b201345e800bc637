"""Settlements the gazetteer lacks: where they lie when the text ties them to a town."""

from __future__ import annotations

import pytest

from services.extractor.entities import EntityExtractor


def _places(extractor: EntityExtractor, text: str) -> dict[str, tuple[float | None, float | None, str]]:
    return {p.surface: (p.lat, p.lon, p.source) for p in extractor.extract(text, "en").places}


@pytest.mark.parametrize(
    "text",
    [
        "Shells fell on the Abu Naji camp in Khan Younis overnight.",
        "Shells fell on Khan Younis's Abu Naji camp overnight.",
        "Shells fell on the Abu Naji area of Khan Younis overnight.",
    ],
)
def test_a_camp_tied_to_its_town_takes_the_towns_point(extractor: EntityExtractor, text: str) -> None:
    places = _places(extractor, text)
    lat, lon, source = places["Abu Naji"]
    assert source == "text"
    assert (lat, lon) == places["Khan Younis"][:2] and lat is not None


def test_a_town_named_elsewhere_in_the_sentence_gives_no_point(extractor: EntityExtractor) -> None:
    places = _places(extractor, "Shells fell on the Abu Naji camp overnight, and Khan Younis was quiet.")
    assert places["Abu Naji"][:2] == (None, None)
