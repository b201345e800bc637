"""The soak report's verdicts: lag that drains, memory that stays flat."""

from __future__ import annotations

from tools.soak import SoakReport


def test_flat_memory_and_drained_lag() -> None:
    report = SoakReport(60, 40.0, published=2400, lag_samples=[(5, 100), (10, 900), (70, 0)], drain_s=12.0)
    report.rss_mb = {"parser:1": (200.0, 230.0), "aggregator:2": (100.0, 150.0)}
    assert report.lag_peak == 900 and report.lag_end == 0
    assert report.rss_flat
    summary = report.summary()
    assert summary["rss_mb"] == {"parser:1": [200, 230], "aggregator:2": [100, 150]}
    assert summary["drain_s"] == 12.0 and summary["soak_published"] == 2400


def test_a_worker_that_keeps_growing_is_not_flat() -> None:
    report = SoakReport(60, 40.0)
    report.rss_mb = {"extractor:3": (300.0, 500.0)}
    assert not report.rss_flat


def test_lag_that_never_drains_is_reported() -> None:
    report = SoakReport(60, 40.0, lag_samples=[(5, 100), (200, 4000)])
    assert report.lag_end == 4000 and report.summary()["drain_s"] is None
