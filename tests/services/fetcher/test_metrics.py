from __future__ import annotations

from prometheus_client import CollectorRegistry

from services.fetcher.http import OUTCOMES
from services.fetcher.metrics import MAX_SOURCE_LABELS, OTHER, fetcher_metrics


def test_names_and_outcomes_start_at_zero() -> None:
    registry = CollectorRegistry()
    fetcher_metrics(registry)
    for outcome in OUTCOMES:
        assert registry.get_sample_value("wirecount_fetcher_requests_total", {"outcome": outcome}) == 0.0
    names = {m.name for m in registry.collect()}
    assert {
        "wirecount_fetcher_requests",
        "wirecount_fetcher_received_bytes",
        "wirecount_fetcher_fetch_seconds",
        "wirecount_fetcher_polls",
        "wirecount_fetcher_entries",
        "wirecount_fetcher_sources_owned",
        "wirecount_fetcher_source_last_success_timestamp_seconds",
    } <= names


def test_observer_interface_counts_attempts() -> None:
    registry = CollectorRegistry()
    metrics = fetcher_metrics(registry)
    metrics.request("timeout", 1.5, 0)
    metrics.request("2xx", 0.05, 1234)
    metrics.request("made-up", 0.01, 0)  # never a new label value
    assert registry.get_sample_value("wirecount_fetcher_requests_total", {"outcome": "timeout"}) == 1.0
    assert registry.get_sample_value("wirecount_fetcher_received_bytes_total") == 1234.0
    assert registry.get_sample_value("wirecount_fetcher_fetch_seconds_count") == 3.0
    assert registry.get_sample_value("wirecount_fetcher_requests_total", {"outcome": "made-up"}) is None


def test_source_labels_are_capped() -> None:
    metrics = fetcher_metrics(CollectorRegistry())
    labels = {metrics.source_label(f"s{n}") for n in range(MAX_SOURCE_LABELS + 50)}
    assert len(labels) == MAX_SOURCE_LABELS + 1 and OTHER in labels
    assert metrics.source_label("s0") == "s0"
