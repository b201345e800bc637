"""The toll chart's layout: time along x, counts up from zero, undated reports left out."""

from __future__ import annotations

from services.aggregator.web.chart import BOTTOM, HEIGHT, LEFT, RIGHT, WIDTH, _nice_top, toll_chart
from services.aggregator.web.reports import report_of


def _history(*points: tuple[str, int]) -> list:
    return [
        report_of(i, {"published": p, "count": c, "site": "s.example"}) for i, (p, c) in enumerate(points)
    ]


def test_points_run_left_to_right_in_time_and_up_with_the_count() -> None:
    chart = toll_chart(_history(("2026-11-01T00:00:00Z", 100), ("2026-11-03T00:00:00Z", 300),
                                ("2026-11-02T00:00:00Z", 200)))  # fmt: skip
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[0] == LEFT and xs[-1] == WIDTH - RIGHT
    assert [p.report.count for p in chart.points] == [100, 200, 300]
    assert chart.points[0].y > chart.points[1].y > chart.points[2].y
    assert chart.y_ticks[0].label == "0" and chart.y_ticks[0].at == HEIGHT - BOTTOM  # the axis starts at zero


def test_undated_reports_are_counted_not_charted() -> None:
    chart = toll_chart(_history(("", 5), ("someday", 6), ("2026-11-01", 7)))
    assert len(chart.points) == 1 and chart.undated == 2
    assert chart.points[0].x == LEFT + (WIDTH - LEFT - RIGHT) / 2  # a single point sits in the middle


def test_the_axis_ends_at_a_round_number_at_or_above_the_largest() -> None:
    assert [_nice_top(v) for v in (1, 7, 11, 1117, 43972, 500000)] == [1, 8, 12, 1200, 50000, 500000]
    assert [t.label for t in toll_chart(_history(("2026-11-01", 1))).y_ticks] == ["0", "1"]
