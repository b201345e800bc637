"""Reports with no date of their own (no publication day, no date in the text) and the merge policy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.aggregator.observations import RECEIVED, figure_events
from services.aggregator.writes import AggregatorState
from shared.records import ExtractedArticle
from tests.services.aggregator.conftest import article, figure, fold

# Fed in years after the event: the stand-in day says nothing about when it happened.
FED_IN_LATER = datetime(2026, 12, 3, 9, tzinfo=UTC).timestamp()


def undated(article_id: str, *figures: dict[str, Any], site: str) -> ExtractedArticle:
    return article(article_id, *figures, site=site, published=None, entered_at=FED_IN_LATER)


def test_an_undated_report_stands_in_the_day_it_was_fed_in_and_says_so() -> None:
    [event] = figure_events(undated("u", figure(30), site="u.example"), "2030-01-01")
    assert (event.event_date, event.date_basis) == ("2026-12-03", RECEIVED)


def test_an_undated_report_joins_the_event_at_its_town_whatever_the_day(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(27), published="2022-04-08T10:00:00Z"),
        undated("u", figure(30), site="u.example"),
        article("b", figure(57), site="b.example", published="2022-04-09T10:00:00Z"),
    )
    killed = [d for d in state.incidents.values() if d["kind"] == "killed"]
    assert len(killed) == 1
    [incident] = killed
    assert (incident["low"], incident["best"], incident["high"], incident["sources"]) == (27, 57, 57, 3)
    assert incident["event_date"] == "2022-04-08"  # the dated reports decide the day


def test_a_dated_report_joins_an_undated_incident_and_gives_it_its_day(state: AggregatorState) -> None:
    fold(
        state,
        undated("u", figure(30), site="u.example"),
        article("a", figure(35), published="2022-04-08T10:00:00Z"),
    )
    [incident] = state.incidents.values()
    assert incident["event_date"] == "2022-04-08" and incident["date_basis"] == "published"


@pytest.mark.parametrize(
    ("dated", "alone"),
    [
        # Same town, no date: "5 killed" is not the strike that killed 45 (tolls are seldom cut by 90 %).
        pytest.param(figure(45), figure(5), id="a count far below the incident's range is another event"),
        pytest.param(figure(20), figure(20, place="Raqqa"), id="named only by its region it does not join"),
        pytest.param(
            figure(40), figure(120, place="Syria"), id="named only by its country with a distant count"
        ),
    ],
)
def test_an_undated_report_stays_apart(
    state: AggregatorState, dated: dict[str, Any], alone: dict[str, Any]
) -> None:
    fold(state, article("a", dated, published="2024-05-27T10:00:00Z"), undated("u", alone, site="u.example"))
    assert len(state.incidents) == 2


def test_an_undated_stand_in_day_does_not_close_the_blocks_dated_incidents(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(20), published="2022-04-08T10:00:00Z"),
        undated("u", figure(90, place="Raqqa"), site="u.example"),
        article("b", figure(22), site="b.example", published="2022-04-08T12:00:00Z"),
    )
    town = [d for d in state.incidents.values() if d["place"] == "Maarat Misrin"]
    assert len(town) == 1 and town[0]["sources"] == 2


def test_an_articles_first_and_revised_counts_go_where_its_toll_goes(state: AggregatorState) -> None:
    # Neither outlet dated: "20 killed, later 50" is matched as 50, so the 20 joins the other
    # outlet's 45 as well, whichever of the article's figures arrives first.
    fold(
        state,
        undated("b", figure(45), site="b.example"),
        undated("a", figure(20), figure(50), site="a.example"),
    )
    [incident] = state.incidents.values()
    assert (incident["low"], incident["high"], incident["sources"]) == (20, 50, 2)


def test_an_undated_report_named_only_by_its_country_joins_on_a_close_count(state: AggregatorState) -> None:
    fold(
        state,
        article("a", figure(40), published="2024-05-27T10:00:00Z"),
        undated("u", figure(45, place="Syria"), site="u.example"),
    )
    [incident] = state.incidents.values()
    assert incident["place"] == "Maarat Misrin" and incident["sources"] == 2


def test_an_undated_report_is_weighed_against_the_dated_reports_range(state: AggregatorState) -> None:
    # Dated reports of 40 and 45, and an undated 30 that joined them: a later undated 7 at the
    # town is another event (a first report gives a fifth of a toll, of the dated toll, not a fifth
    # of what an undated report stretched it to); an undated 25 is within reach of both.
    fold(
        state,
        article("a", figure(40), published="2024-05-27T08:00:00Z"),
        article("b", figure(45), site="b.example", published="2024-05-27T12:00:00Z"),
        undated("u", figure(30), site="u.example"),
        undated("v", figure(7), site="v.example"),
        undated("w", figure(25), site="w.example"),
    )
    killed = sorted((d for d in state.incidents.values() if d["kind"] == "killed"), key=lambda d: d["low"])
    assert [(d["low"], d["high"], d["sources"]) for d in killed] == [(7, 7, 1), (25, 45, 4)]
