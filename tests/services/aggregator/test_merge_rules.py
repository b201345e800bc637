"""Merge rules for how real outlets differ in telling one event."""

from __future__ import annotations

from services.aggregator.writes import AggregatorState
from tests.services.aggregator.conftest import article, figure, fold


def _killed(state: AggregatorState) -> list[dict]:
    return [d for d in state.incidents.values() if d["kind"] == "killed"]


def test_a_quarter_named_by_one_outlet_joins_the_town_another_names(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(30, place="Maarat Misrin"), site="a.example"),
        article("b", figure(34, place="Al-Mahatta"), site="b.example"),
    )
    [incident] = _killed(state)
    assert incident["sources"] == 2 and incident["place"] == "Al-Mahatta"  # the finer place kept


def test_two_towns_a_dozen_km_apart_stay_apart(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(30, place="Maarat Misrin"), site="a.example"),
        article("b", figure(30, place="Saraqib"), site="b.example"),
    )
    assert len(_killed(state)) == 2


def test_an_articles_toll_given_on_two_days_is_one_event(state: AggregatorState) -> None:
    first = figure(100, event_date="2026-11-21", date_basis="stated")
    later = figure(171, event_date="2026-11-24", date_basis="stated")
    fold(state, article("a", first, later, site="a.example"))
    [incident] = _killed(state)
    assert (incident["low"], incident["high"], incident["event_date"]) == (100, 171, "2026-11-21")


def test_two_articles_tolls_three_days_apart_by_their_texts_are_two_events(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(100, event_date="2026-11-21", date_basis="stated"), site="a.example"),
        article("b", figure(171, event_date="2026-11-24", date_basis="stated"), site="b.example"),
    )
    assert len(_killed(state)) == 2


def test_the_countrys_own_name_as_actor_does_not_contradict_the_group_another_outlet_names(
    state: AggregatorState,
) -> None:
    fold(
        state,
        article("a", figure(30, actor="Islamic State"), site="a.example"),
        article("b", figure(31, actor="Syria"), site="b.example"),
    )
    [incident] = _killed(state)
    assert incident["actor"] == "Islamic State" and incident["sources"] == 2


def test_two_named_actors_still_contradict(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(30, actor="Islamic State"), site="a.example"),
        article("b", figure(31, actor="Russia"), site="b.example"),
    )
    assert len(_killed(state)) == 2
