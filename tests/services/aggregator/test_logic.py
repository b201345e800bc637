from __future__ import annotations

from typing import Any

from services.aggregator.logic import apply_figure, figure_events, total_key, totals_view
from shared.records import ExtractedArticle


def article(article_id: str, *figures: dict[str, Any]) -> ExtractedArticle:
    return ExtractedArticle(
        article_id=article_id,
        url=None,
        site=None,
        title=None,
        lang="en",
        casualties=list(figures),
        entered_at=5.0,
    )


def figure(count: int, kind: str = "killed", place: str | None = "Raqqa", **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "count": count, "location": place, "scope": "incident", "subset_of": None} | extra


def fold(events: list[Any]) -> dict[str, dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    applied: dict[str, int] = {}
    for event in events:
        update = apply_figure(totals.get(event.total_key), applied.get(event.figure_id), event)
        totals[event.total_key] = update.total
        applied[event.figure_id] = update.applied
    return totals


def test_each_figure_becomes_an_event_keyed_by_place_and_kind() -> None:
    events = figure_events(article("a", figure(12), figure(30, kind="injured"), figure(4, place=None)))
    assert [e.total_key for e in events] == ["Raqqa|killed", "Raqqa|injured", "unknown|killed"]
    assert [e.figure_id for e in events] == ["a:0", "a:1", "a:2"]
    assert all(e.entered_at == 5.0 for e in events)


def test_malformed_figures_are_skipped() -> None:
    bad = [{"kind": "killed", "count": "many"}, {"count": 3}, {"kind": "killed", "count": True}]
    assert figure_events(article("a", *bad)) == []


def test_redelivery_changes_nothing() -> None:
    events = figure_events(article("a", figure(12)))
    once = fold(events)
    twice = fold(events + events)
    assert once == twice
    assert once[total_key("Raqqa", "killed")]["count"] == 12


def test_subsets_and_running_tolls_are_not_added() -> None:
    events = figure_events(article("a", figure(12), figure(3, subset_of=0), figure(900, scope="cumulative")))
    totals = fold(events)
    assert totals["Raqqa|killed"]["count"] == 12
    assert totals["Raqqa|killed"]["figures"] == 1


def test_a_changed_figure_moves_the_total_by_the_difference() -> None:
    first = figure_events(article("a", figure(12)))
    corrected = figure_events(article("a", figure(15)))
    assert fold(first + corrected)["Raqqa|killed"]["count"] == 15


def test_totals_view_drops_empty_rows_and_sorts() -> None:
    rows = [
        {"place": "A", "kind": "killed", "count": 2, "figures": 1},
        {"place": "B", "kind": "killed", "count": 0, "figures": 0},
        {"place": "C", "kind": "injured", "count": 9, "figures": 2},
    ]
    view = totals_view(rows)
    assert [r["place"] for r in view["totals"]] == ["C", "A"]
    assert view["count"] == 11
