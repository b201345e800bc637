from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from shared.metrics import stage_metrics


def test_metrics_follow_naming_conventions_on_a_private_registry() -> None:
    registry = CollectorRegistry()
    m = stage_metrics("parser", registry)
    m.consumed.labels("articles.raw").inc()
    m.deadlettered.labels("not_json").inc()
    m.processing_seconds.observe(0.02)
    text = generate_latest(registry).decode()
    assert 'wirecount_parser_messages_consumed_total{topic="articles.raw"} 1.0' in text
    assert 'wirecount_parser_deadlettered_messages_total{reason="not_json"} 1.0' in text
    assert "wirecount_parser_processing_seconds_bucket" in text
    # A second stage on another registry does not collide ("Duplicated timeseries").
    stage_metrics("parser", CollectorRegistry())
