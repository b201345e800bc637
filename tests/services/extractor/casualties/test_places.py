"""Tying figures to places, with hand-made place mentions (the entity step is tested on its own)."""

from __future__ import annotations

from services.extractor.casualties import extract_figures
from services.extractor.casualties.places import REGION_RANK, feature_rank
from tests.services.extractor.casualties.fakes import find_places


def locations(text: str, lang: str = "en", title: str | None = None) -> list[str | None]:
    figs = extract_figures(text, lang, title, find_places(text), find_places(title) if title else None)
    return [f["location"] for f in figs]


def test_feature_ranks_order_places_from_village_to_country() -> None:
    ranks = [
        feature_rank(f, p)
        for f, p in [("village", 0), ("city", 0), ("city", 500_000), ("admin1", 0), ("country", 0)]
    ]
    assert ranks == sorted(ranks) and ranks[3] == REGION_RANK


def test_the_most_specific_place_in_the_clause_wins() -> None:
    text = "In Wadi Province, an air strike on the village of Kafr Hamra killed 6 civilians."
    assert locations(text) == ["Kafr Hamra"]


def test_each_clause_keeps_its_own_place() -> None:
    text = "Shelling killed 4 people in Kafr Hamra, while 3 people were killed in Bayt Lahm."
    assert locations(text) == ["Kafr Hamra", "Bayt Lahm"]


def test_two_coordinated_places_take_the_larger() -> None:
    text = "Strikes on Nahrayn city and the village of Tell Safi killed 9 people."
    assert locations(text) == ["Nahrayn"]


def test_a_figure_without_place_takes_the_one_before_it() -> None:
    text = "A blast killed 5 people in Kafr Hamra. Later 2 more people were killed."
    assert locations(text) == ["Kafr Hamra", "Kafr Hamra"]


def test_country_in_the_sentence_gives_way_to_an_elaborating_sentence() -> None:
    text = "Air strikes killed 12 people in Ruritania. The strikes hit Kafr Hamra and Tell Safi in Wadi Province."
    assert locations(text) == ["Wadi Province"]


def test_part_takes_its_totals_place_unless_it_names_one() -> None:
    text = (
        "Strikes killed 10 people in Wadi Province, including 4 children. Three of them died in Kafr Hamra."
    )
    assert locations(text) == ["Wadi Province", "Wadi Province", "Kafr Hamra"]


def test_headline_country_gives_way_to_the_lead_place() -> None:
    title = "7 killed, 20 injured in Ruritania attack"
    text = "A car bomb killed 7 people in Nahrayn on Monday."
    assert locations(text, title=title) == ["Nahrayn", "Nahrayn"]


def test_arabic_countryside_is_a_region() -> None:
    text = "قتل 5 مدنيين في قصف على ريف نهرين وبلدة كفر حمرا."
    assert locations(text, "ar") == ["Kafr Hamra"]
