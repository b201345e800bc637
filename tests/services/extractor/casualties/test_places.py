"""Tying figures to places, with place mentions from a made-up gazetteer (``fakes.py``; the entity step
is tested on its own): cases in tests/cases/casualties_made_up_places.jsonl, each a text and the
location of each figure in order."""

from __future__ import annotations

import pytest

from services.extractor.casualties import extract_figures
from services.extractor.casualties.place_ranks import REGION_RANK, feature_rank
from tests.cases import Case, case_name, load_cases
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


@pytest.mark.parametrize(
    "case", load_cases("casualties_made_up_places.jsonl", needs=("lang", "text")), ids=case_name
)
def test_each_figure_takes_its_place(case: Case) -> None:
    assert locations(case.text, case.lang, title=case.given.get("title")) == case.expected
