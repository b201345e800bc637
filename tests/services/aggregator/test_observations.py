from __future__ import annotations

from services.aggregator.observations import block_key, event_date, figure_events
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


def test_malformed_figures_are_skipped() -> None:
    bad = [
        figure(0),
        {"kind": "killed", "count": "many"},
        {"count": 3},
        figure(True),
        {"kind": "sad", "count": 2},
    ]
    assert figure_events(article("a", *bad), "2026-11-26") == []


def test_unplaced_figures_share_an_unknown_country_block() -> None:
    assert block_key(None, "killed") == "XX|killed"


def test_event_date_is_the_last_date_stated_before_the_figure() -> None:
    item = article("a", figure(5, start=100), published="2026-11-24T09:00:00Z")
    item = item.derive(
        dates=[
            {"start": 10, "end": 20, "iso": "2026-11-22"},
            {"start": 40, "end": 50, "iso": "2026-11-23"},
            {"start": 60, "end": 70, "iso": "2026-12-30"},  # after publication: ignored
            {"start": 200, "end": 210, "iso": "2026-11-20"},  # after the figure: ignored
        ]
    )
    assert event_date(item, item.casualties[0], "2026-11-26") == "2026-11-23"
    assert event_date(item.derive(dates=[]), item.casualties[0], "2026-11-26") == "2026-11-24"
    assert event_date(item.derive(dates=[], published=None), item.casualties[0], "2026-11-26") == "2026-11-26"


def test_a_date_in_the_title_is_not_read_as_stated_before_a_body_figure() -> None:
    item = article("a", figure(5, start=30), published="2026-11-24T09:00:00Z")
    title_date = {"start": 0, "end": 9, "iso": "2026-11-20", "in_title": True}  # offsets into the title
    body_date = {"start": 60, "end": 70, "iso": "2026-11-23"}  # after the figure
    assert (
        event_date(item.derive(dates=[title_date, body_date]), item.casualties[0], "2026-11-26")
        == "2026-11-24"
    )


def test_a_figure_takes_its_place_facts_from_its_own_text_and_an_unidentified_name_from_a_region() -> None:
    from services.aggregator.observations import _place_facts

    body_figure = figure(15, place="Idlib", location_id=None)
    item = article("a", body_figure).derive(
        places=[
            {"name": "Idlib", "geonameid": 169389, "admin1": "12", "feature": "city", "in_title": True},
            {"name": "Idlib", "geonameid": None, "admin1": "12", "feature": "admin1", "in_title": False},
        ]
    )
    assert _place_facts(item, body_figure) == ("admin1", "12")


def test_a_month_stated_before_a_figure_is_no_event_day() -> None:
    item = article("a", figure(300, start=100), published="2026-11-24T09:00:00Z")
    monday = {"start": 10, "end": 20, "iso": "2026-11-23"}
    january = {"start": 60, "end": 70, "iso": "2026-01-01", "precision": "month"}
    assert event_date(item.derive(dates=[monday, january]), item.casualties[0], "2026-11-26") == "2026-11-24"
    assert event_date(item.derive(dates=[january, monday]), item.casualties[0], "2026-11-26") == "2026-11-23"
