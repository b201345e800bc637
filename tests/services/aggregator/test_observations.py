from __future__ import annotations

import pytest

from services.aggregator.observations import block_key, figure_events
from shared.records import BadRecord, ExtractedArticle, decode
from tests.services.aggregator.conftest import article, figure


def test_figures_become_events_keyed_by_country_and_kind() -> None:
    events = figure_events(article("a", figure(12), figure(30, kind="injured")), "2026-11-26")
    assert [e.block for e in events] == ["SY|killed", "SY|injured"]
    assert [e.figure_id for e in events] == ["a:0", "a:1"]
    assert events[0].admin1 == "12" and events[0].place_level == "city"
    assert events[0].site == "wire.example"


def test_subsets_ride_inside_their_parent() -> None:
    events = figure_events(article("a", figure(12), figure(3, victims="children", subset_of=0)), "2026-11-26")
    [parent] = events
    assert parent.subsets == [{"kind": "killed", "count": 3, "victims": "children"}]


def test_figures_no_route_step_would_write_are_skipped() -> None:
    bad = [figure(0), figure(20_000_000), {"kind": "sad", "count": 2}]
    assert figure_events(article("a", *bad), "2026-11-26") == []


def test_a_figure_of_the_wrong_type_makes_the_message_a_bad_record() -> None:
    message = article("a", figure(3)).dumps().replace(b'"count":3', b'"count":"many"')
    with pytest.raises(BadRecord, match="casualties"):
        decode(ExtractedArticle, message)


def test_unplaced_figures_share_an_unknown_country_block() -> None:
    assert block_key(None, "killed") == "XX|killed"


def test_the_event_day_is_the_extractors_and_no_day_stands_in_the_day_it_was_fed_in() -> None:
    stated = figure(5, event_date="2026-11-23", date_basis="relative")
    item = article("a", stated, published="2026-11-24T09:00:00Z")
    [event] = figure_events(item, "2026-11-26")
    assert (event.event_date, event.date_basis) == ("2026-11-23", "relative")
    undated = article("b", figure(5), published=None, entered_at=1_700_000_000.0)
    [event] = figure_events(undated, "2026-11-26")
    assert (event.event_date, event.date_basis) == ("2023-11-14", "received")


def test_a_figure_brings_its_place_hierarchy_with_it() -> None:
    # No re-join to the article's place mentions: the extractor says which place it meant.
    [event] = figure_events(article("a", figure(15, place="Idlib")), "2026-11-26")
    assert (event.place, event.place_level, event.admin1, event.country) == ("Idlib", "admin1", "12", "SY")
