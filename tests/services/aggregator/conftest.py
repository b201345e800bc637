"""Factories for aggregator tests: articles with figures, and folding them into state."""

from __future__ import annotations

from typing import Any

import pytest

from services.aggregator.incidents import apply_figure
from services.aggregator.observations import figure_events
from services.aggregator.writes import AggregatorState, Change
from services.extractor.entities.model import Entities, PlaceMention
from services.extractor.logic import ArticleExtraction, add_mentions, figure_records
from shared.records import ExtractedArticle

PLACES = {
    "Maarat Misrin": {
        "geonameid": 167605,
        "country": "SY",
        "admin1": "12",
        "feature": "city",
        "lat": 35.99,
        "lon": 36.69,
    },
    "Idlib": {
        "geonameid": None,
        "country": "SY",
        "admin1": "12",
        "feature": "admin1",
        "lat": 35.93,
        "lon": 36.63,
    },
    "Saraqib": {
        "geonameid": 164000,
        "country": "SY",
        "admin1": "12",
        "feature": "city",
        "lat": 35.86,
        "lon": 36.8,
    },
    "Raqqa": {
        "geonameid": 163915,
        "country": "SY",
        "admin1": "04",
        "feature": "city",
        "lat": 35.95,
        "lon": 39.01,
    },
    "Khan Younis": {
        "geonameid": 281133,
        "country": "PS",
        "admin1": "GZ",
        "feature": "city",
        "lat": 31.34,
        "lon": 34.3,
    },
    "Al-Mahatta": {
        "geonameid": 900001,
        "country": "SY",
        "admin1": "12",
        "feature": "neighbourhood",
        "lat": 36.0,
        "lon": 36.7,
    },
    "Syria": {
        "geonameid": 163843,
        "country": "SY",
        "admin1": None,
        "feature": "country",
        "lat": 35.0,
        "lon": 38.0,
    },
}


def figure(
    count: int, kind: str = "killed", place: str | None = "Maarat Misrin", **extra: Any
) -> dict[str, Any]:
    """A figure as the extractor writes it."""
    facts = PLACES.get(place or "", {})
    where = None
    if place is not None:
        where = {"name": place, "source": "geonames"} | facts
    return {
        "kind": kind,
        "count": count,
        "qualifier": "exact",
        "victims": "civilians",
        "location": place,
        "location_id": facts.get("geonameid"),
        "country": facts.get("country"),
        "lat": facts.get("lat"),
        "lon": facts.get("lon"),
        "place": where,
        "actor": None,
        "scope": "incident",
        "subset_of": None,
        "evidence": f"{count} {kind}",
        "start": 10,
        "end": 20,
    } | extra


def article(
    article_id: str,
    *figures: dict[str, Any],
    site: str = "wire.example",
    published: str | None = "2026-11-24T09:00:00Z",
    content_hash: str | None = None,
    entered_at: float = 100.0,
) -> ExtractedArticle:
    """An extracted article whose place mentions cover its figures' places."""
    return ExtractedArticle(
        article_id=article_id,
        url=f"https://{site}/{article_id}",
        site=site,
        title=None,
        lang="en",
        published=published,
        content_hash=content_hash or f"hash-{article_id}",
        casualties=_records(list(figures), published),
        places=_place_mentions(),
        entered_at=entered_at,
    )


def _place_mentions() -> list[dict[str, Any]]:
    """A mention of every place in PLACES, built and listed as the extractor does (``add_mentions``)."""
    # No test here weighs places by size; each is a listed place, not a guess.
    mentions = [
        PlaceMention(start=0, end=len(name), surface=name, name=name, population=0, confidence=1.0, **facts)
        for name, facts in PLACES.items()
    ]
    out = ArticleExtraction()
    add_mentions(out, Entities(places=mentions), in_title=False)
    return out.places


def _records(figures: list[dict[str, Any]], published: str | None) -> list[Any]:
    """The figures as the extractor sends them; a figure may set its own event day (a stated date)."""
    records = figure_records(figures, [], published)
    for record, raw in zip(records, figures, strict=True):
        if "event_date" in raw:
            record.event_date, record.date_basis = raw["event_date"], raw.get("date_basis", "stated")
    return records


def new_state() -> AggregatorState:
    """Empty state, dicts standing in for the worker's tables."""
    return AggregatorState(figures={}, blocks={}, incidents={}, tolls={})


def fold(state: AggregatorState, *articles: ExtractedArticle, window_days: int = 1) -> list[Change]:
    """Route and merge ``articles`` as the worker does; return every change."""
    changes: list[Change] = []
    for item in articles:
        for event in figure_events(item, "2026-11-26"):
            changes += apply_figure(state, event, window_days)
    return changes


@pytest.fixture
def state() -> AggregatorState:
    """A fresh aggregator state."""
    return new_state()
