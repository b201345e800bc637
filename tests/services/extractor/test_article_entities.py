"""The record's entity lists with the real entity step: title mentions, and places inside actor names."""

from __future__ import annotations

from typing import Any

import pytest

from services.extractor.entities import EntityExtractor
from services.extractor.logic import ArticleExtraction, ArticleInput, extract_article
from tests.services.extractor.entities.conftest import CACHE
from tests.services.extractor.wire import plain


@pytest.fixture(scope="module")
def entities() -> EntityExtractor:
    return EntityExtractor.load(CACHE)


def _extract(entities: EntityExtractor, title: str | None, text: str, lang: str = "en") -> ArticleExtraction:
    return extract_article(ArticleInput("t", title, text, lang, "2026-03-06"), entities)


def _figures(out: ArticleExtraction) -> list[tuple[Any, ...]]:
    return [(f["count"], f["scope"], f["location"]) for f in plain(out.casualties)]


def test_every_title_mention_is_marked_and_spans_the_title(entities: EntityExtractor) -> None:
    title = "Houthi drone hits tanker off Hodeidah on Thursday"
    text = "The crew of the tanker escaped unhurt after the attack, the shipping company said."
    out = _extract(entities, title, text)
    assert [(p["name"], p["in_title"]) for p in out.places] == [("Hodeidah", True)]
    assert [(a["actor_id"], a["in_title"]) for a in out.actors] == [("houthis", True)]
    assert [(d["iso"], d["in_title"]) for d in out.dates] == [("2026-03-05", True)]
    for mention in [*out.places, *out.actors, *out.dates]:
        assert title[mention["start"] : mention["end"]] == mention["surface"]


def test_body_mentions_say_they_point_into_the_text(entities: EntityExtractor) -> None:
    text = "Shelling hit a school in Taiz on Monday."
    out = _extract(entities, None, text)
    assert [(p["name"], p["in_title"], p["in_actor"]) for p in out.places] == [("Taiz", False, None)]
    assert all(d["in_title"] is False for d in out.dates)


def test_a_ministry_named_for_a_place_keeps_the_place_but_not_as_the_figure_place(
    entities: EntityExtractor,
) -> None:
    text = "The Gaza health ministry said 30 people were killed in Rafah overnight."
    out = _extract(entities, None, text)
    assert [(p["name"], p["in_actor"]) for p in out.places] == [
        ("Gaza", "gaza_health_ministry"),
        ("Rafah", None),
    ]
    assert _figures(out) == [(30, "incident", "Rafah")]


@pytest.mark.parametrize(
    "title",
    ["Junta jets bomb a village in the north-west", "Myanmar junta air strike on village kills 14"],
)
def test_a_junta_named_for_its_country_does_not_hand_the_toll_to_the_filing_city(
    entities: EntityExtractor, title: str
) -> None:
    text = (
        "Bangkok (AFP) - The Myanmar junta's air strike on a village in Sagaing region killed 14 people, "
        "residents said on Friday. More than 5,000 civilians have been killed by the military since the "
        "coup, a rights group says."
    )
    out = _extract(entities, title, text)
    assert ("Myanmar", "myanmar_military") in [(p["name"], p["in_actor"]) for p in out.places]
    assert [a["actor_id"] for a in out.actors if not a["in_title"]] == ["afp", "myanmar_military"]
    # The incident is in the region named; the running toll is the country's, never Bangkok's.
    assert _figures(out) == [(14, "incident", "Sagaing"), (5000, "cumulative", "Myanmar")]
    assert plain(out.casualties)[0]["actor"] == "Myanmar military"


def test_a_shared_name_in_a_placeless_headline_is_read_by_the_body_s_country(
    entities: EntityExtractor,
) -> None:
    title = "الدفاع المدني: انتشال خمسة أطفال من تحت الأنقاض"
    text = "انتشلت طواقم الإنقاذ جثث خمسة أطفال من منزل قصف في مخيم جباليا شمال قطاع غزة فجر اليوم."
    out = _extract(entities, title, text, lang="ar")
    assert [(a["actor_id"], a["in_title"]) for a in out.actors] == [("palestinian_civil_defence", True)]
    beirut = "انتشلت الطواقم جثث خمسة أشخاص من مبنى في الضاحية الجنوبية لبيروت."
    out = _extract(entities, title, beirut, lang="ar")
    assert [a["actor_id"] for a in out.actors] == ["lebanese_civil_defence"]
