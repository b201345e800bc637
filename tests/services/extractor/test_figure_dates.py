"""When a figure's event happened: the extractor decides from the text's dates and the publication day."""

from __future__ import annotations

from typing import Any

from services.extractor.figure_dates import event_day
from services.extractor.logic import figure_records

FIGURE: dict[str, Any] = {"kind": "killed", "count": 5, "start": 100, "in_title": False}


def test_the_last_day_stated_before_the_figure_is_its_day() -> None:
    dates = [
        {"start": 10, "end": 20, "iso": "2026-11-22", "relative": False},
        {"start": 40, "end": 50, "iso": "2026-11-23", "relative": True},
        {"start": 60, "end": 70, "iso": "2026-12-30"},  # after publication: a misreading
        {"start": 200, "end": 210, "iso": "2026-11-20"},  # after the figure
    ]
    assert event_day(FIGURE, dates, "2026-11-24T09:00:00Z") == ("2026-11-23", "relative")
    assert event_day(FIGURE, dates[:1], "2026-11-24T09:00:00Z") == ("2026-11-22", "stated")


def test_no_stated_day_is_the_publication_day_and_no_date_at_all_is_none() -> None:
    assert event_day(FIGURE, [], "2026-11-24T09:00:00Z") == ("2026-11-24", "published")
    assert event_day(FIGURE, [], None) == (None, "received")


def test_a_title_date_is_not_before_a_body_figure_and_a_month_is_no_day() -> None:
    title_date = {"start": 0, "end": 9, "iso": "2026-11-20", "in_title": True}
    assert event_day(FIGURE, [title_date], "2026-11-24") == ("2026-11-24", "published")
    monday = {"start": 10, "end": 20, "iso": "2026-11-23", "relative": True}
    january = {"start": 60, "end": 70, "iso": "2026-01-01", "precision": "month"}
    assert event_day(FIGURE, [monday, january], "2026-11-24") == ("2026-11-24", "published")
    assert event_day(FIGURE, [january, monday], "2026-11-24") == ("2026-11-23", "relative")


def test_records_nest_parts_in_their_figure_and_keep_the_flat_index() -> None:
    figures = [
        {
            "kind": "killed",
            "count": 12,
            "victims": "people",
            "start": 50,
            "end": 60,
            "place": {
                "name": "Saraqib",
                "geonameid": 164000,
                "feature": "city",
                "admin1": "12",
                "country": "SY",
            },
        },
        {"kind": "killed", "count": 3, "victims": "children", "subset_of": 0, "start": 61, "end": 70},
    ]
    total, part = figure_records(figures, [], "2026-11-24")
    assert [(p.count, p.victims) for p in total.parts] == [(3, "children")]
    assert part.subset_of == 0 and not part.parts
    assert total.place is not None and (total.place.feature, total.place.admin1) == ("city", "12")
    assert (total.event_date, total.date_basis) == ("2026-11-24", "published")


def test_a_lead_with_no_day_before_takes_the_day_told_right_after_it() -> None:
    sunday = {"start": 180, "end": 186, "iso": "2026-11-22", "relative": True}
    far = {"start": 900, "end": 906, "iso": "2026-11-20", "relative": True}
    future = {"start": 150, "end": 156, "iso": "2026-11-27", "relative": True}
    assert event_day(FIGURE, [future, sunday], "2026-11-24") == ("2026-11-22", "relative")
    assert event_day(FIGURE, [far], "2026-11-24") == ("2026-11-24", "published")


def test_a_statements_day_bounds_the_event_instead_of_dating_it() -> None:
    # "the governor said on Sunday": the toll was told that day; the event was then or before.
    said_before = {"start": 10, "end": 20, "iso": "2026-11-22", "relative": True, "said": True}
    said_after = {"start": 180, "end": 186, "iso": "2026-11-22", "relative": True, "said": True}
    assert event_day(FIGURE, [said_before], "2026-11-24") == ("2026-11-22", "said")
    assert event_day(FIGURE, [said_after], "2026-11-24") == ("2026-11-22", "said")
