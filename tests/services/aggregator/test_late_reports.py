"""Follow-ups dated only by their publication day: the event happened on or before that day."""

from __future__ import annotations

import pytest

from services.aggregator.writes import AggregatorState
from tests.services.aggregator.conftest import article, figure, fold, new_state

STRIKE_DAY = "2026-11-24"


def _strike(count: int = 20) -> object:
    """The first report, whose text says the day."""
    return article("a", figure(count, event_date=STRIKE_DAY, date_basis="relative"), site="a.example")


def _follow_up(count: int, published: str, place: str = "Maarat Misrin") -> object:
    return article("b", figure(count, place=place), site="b.example", published=published)


def _killed(state: AggregatorState) -> list[dict]:
    return [d for d in state.incidents.values() if d["kind"] == "killed"]


@pytest.mark.parametrize("first_strike", [True, False])
def test_a_follow_up_published_days_later_at_the_same_town_joins_in_either_order(first_strike: bool) -> None:
    state = new_state()
    items = [_strike(20), _follow_up(37, "2026-11-27T08:00:00Z")]
    fold(state, *(items if first_strike else reversed(items)))  # type: ignore[arg-type]
    [incident] = _killed(state)
    assert (incident["low"], incident["high"], incident["sources"]) == (20, 37, 2)
    assert incident["event_date"] == STRIKE_DAY  # the text's day, not the publication day


def test_a_report_published_a_week_later_is_another_event(state: AggregatorState) -> None:
    fold(state, _strike(20), _follow_up(37, "2026-12-01T08:00:00Z"))  # type: ignore[arg-type]
    assert len(_killed(state)) == 2


def test_a_follow_up_at_another_town_is_another_event(state: AggregatorState) -> None:
    fold(state, _strike(20), _follow_up(37, "2026-11-26T08:00:00Z", place="Raqqa"))  # type: ignore[arg-type]
    assert len(_killed(state)) == 2


def test_a_report_published_before_the_day_its_text_gives_is_not_a_follow_up(state: AggregatorState) -> None:
    # Published on the 20th, it cannot be about a strike on the 24th.
    fold(state, _strike(20), _follow_up(37, "2026-11-20T08:00:00Z"))  # type: ignore[arg-type]
    assert len(_killed(state)) == 2


def _retelling(count: int, published: str, place: str = "Maarat Misrin") -> object:
    return article("c", figure(count, place=place), site="c.example", published=published)


def test_a_toll_told_again_ten_days_on_at_the_same_town_is_the_same_event(state: AggregatorState) -> None:
    # A first count, a follow-up two days on, then a piece on the funerals restating the toll.
    fold(state, _strike(20), _follow_up(37, "2026-11-26T08:00:00Z"), _retelling(37, "2026-12-04T08:00:00Z"))  # type: ignore[arg-type]
    [incident] = _killed(state)
    assert incident["sources"] == 3 and incident["event_date"] == STRIKE_DAY


@pytest.mark.parametrize(
    ("count", "published", "place"),
    [
        (60, "2026-12-04T08:00:00Z", "Maarat Misrin"),  # a count outside the event's range
        (20, "2026-12-12T08:00:00Z", "Maarat Misrin"),  # past two weeks
        (20, "2026-12-04T08:00:00Z", "Saraqib"),  # another town
    ],
)
def test_a_late_report_that_does_not_restate_the_toll_at_the_town_is_another_event(
    state: AggregatorState, count: int, published: str, place: str
) -> None:
    fold(state, _strike(20), _follow_up(37, "2026-11-26T08:00:00Z"), _retelling(count, published, place))  # type: ignore[arg-type]
    assert len(_killed(state)) == 2


def test_a_small_toll_at_the_same_town_a_week_on_is_another_event(state: AggregatorState) -> None:
    # Small tolls recur at one town: a dozen killed again is no sign of the same strike.
    fold(state, _strike(12), _follow_up(14, "2026-11-26T08:00:00Z"), _retelling(12, "2026-12-04T08:00:00Z"))  # type: ignore[arg-type]
    assert len(_killed(state)) == 2
