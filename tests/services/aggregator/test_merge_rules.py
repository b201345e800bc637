"""Merge rules for how real outlets differ in telling one event."""

from __future__ import annotations

from typing import Any

import pytest

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


def test_an_articles_toll_given_on_two_days_is_one_event(state: AggregatorState) -> None:
    first = figure(100, event_date="2026-11-21", date_basis="stated")
    later = figure(171, event_date="2026-11-24", date_basis="stated")
    fold(state, article("a", first, later, site="a.example"))
    [incident] = _killed(state)
    assert (incident["low"], incident["high"], incident["event_date"]) == (100, 171, "2026-11-21")


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


@pytest.mark.parametrize(
    ("one", "other"),
    [
        pytest.param(
            figure(30, place="Maarat Misrin"), figure(30, place="Saraqib"), id="two towns a dozen km apart"
        ),
        pytest.param(
            figure(100, event_date="2026-11-21", date_basis="stated"),
            figure(171, event_date="2026-11-24", date_basis="stated"),
            id="two articles' tolls three days apart by their texts",
        ),
        pytest.param(
            figure(30, actor="Islamic State"),
            figure(31, actor="Russia"),
            id="two named actors still contradict",
        ),
    ],
)
def test_two_outlets_that_disagree_tell_two_events(
    state: AggregatorState, one: dict[str, Any], other: dict[str, Any]
) -> None:
    fold(state, article("a", one, site="a.example"), article("b", other, site="b.example"))
    assert len(_killed(state)) == 2


def test_a_village_spelt_with_its_article_inside_the_name_is_one_place(state: AggregatorState) -> None:
    # Outlets write the Arabic article of a later word as "al-", "El " or not at all.
    fold(
        state,
        article("a", figure(40, place="Tal al-Koora"), site="a.example"),
        article("b", figure(44, place="Tal El Koura"), site="b.example"),
        article("c", figure(45, place="Tal Koura"), site="c.example"),
    )
    [incident] = _killed(state)
    assert incident["sources"] == 3


def test_dropping_the_article_does_not_make_two_villages_alike(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(40, place="Tal al-Koora"), site="a.example"),
        article("b", figure(44, place="Tal al-Kabir"), site="b.example"),
    )
    assert len(_killed(state)) == 2


def test_an_articles_smaller_toll_at_another_town_is_that_towns_event(state: AggregatorState) -> None:
    # One article tells two towns' strikes: 120 at Saraqib, 20 at Maarat Misrin. The 20 is no detail
    # of the 120 (a sixth of it); it is the toll another outlet gives for Maarat Misrin.
    fold(
        state,
        article("a", figure(120, place="Saraqib"), figure(20), site="a.example"),
        article("b", figure(22), site="b.example"),
    )
    by_place = {d["place"]: d for d in _killed(state)}
    assert by_place["Maarat Misrin"]["sources"] == 2
    assert by_place["Saraqib"]["sources"] == 1


def test_a_small_figure_at_the_articles_own_town_stays_a_detail(state: AggregatorState) -> None:
    # "30 killed in Maarat Misrin, among them the 2 attackers": the 2 is a detail of that event,
    # and a figure at another town of the same article does not change that.
    fold(state, article("a", figure(30), figure(2), figure(150, place="Saraqib"), site="a.example"))
    by_low = {d["low"]: d for d in _killed(state)}
    assert by_low[30]["sources"] == 1 and by_low[2]["detail"] is True
