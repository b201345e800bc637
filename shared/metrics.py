"""Prometheus metrics of a worker, built once per process by :func:`stage_metrics`.

Names follow ``wirecount_<stage>_<what>_<unit>``; counters end in ``_total``;
durations are histograms in seconds; every label takes values from a small
fixed set (stage, reason codes, topic names), never from article content.
Tests pass a fresh ``CollectorRegistry()`` so nothing is registered globally.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

# Work per message ranges from ~1 ms (aggregation) to ~1 s (a huge page).
PROCESSING_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# End-to-end latency: the promise is seconds from publication to an incident.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)


@dataclass(frozen=True)
class StageMetrics:
    """The metrics every stage exports."""

    consumed: Counter
    produced: Counter
    failures: Counter
    deadlettered: Counter
    processing_seconds: Histogram
    latency_seconds: Histogram
    last_processed: Gauge
    healthy: Gauge
    info: Info
    consumer_lag: Gauge


def stage_metrics(stage: str, registry: CollectorRegistry) -> StageMetrics:
    """Create the standard metrics of ``stage`` on ``registry``."""
    p = f"wirecount_{stage}"
    return StageMetrics(
        consumed=Counter(
            f"{p}_messages_consumed", "Messages taken from input topics.", ["topic"], registry=registry
        ),
        produced=Counter(
            f"{p}_messages_produced", "Messages sent to output topics.", ["topic"], registry=registry
        ),
        failures=Counter(
            f"{p}_failures", "Messages that could not be processed, by reason.", ["reason"], registry=registry
        ),
        deadlettered=Counter(
            f"{p}_deadlettered_messages",
            "Messages sent to the dead-letter topic, by reason.",
            ["reason"],
            registry=registry,
        ),
        processing_seconds=Histogram(
            f"{p}_processing_seconds",
            "Time to process one message, decode to send.",
            buckets=PROCESSING_BUCKETS,
            registry=registry,
        ),
        latency_seconds=Histogram(
            f"{p}_end_to_end_latency_seconds",
            "Time from the article entering articles.raw to this stage sending it to an output topic.",
            # By output topic: the aggregator's casualties.incidents series is the pipeline's promise.
            ["topic"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        ),
        last_processed=Gauge(
            f"{p}_last_processed_timestamp_seconds",
            "Unix time of the last message processed.",
            registry=registry,
        ),
        healthy=Gauge(
            f"{p}_healthy", "1 while the worker is connected and its agents run.", registry=registry
        ),
        info=Info(f"{p}_build", "Version and schema of the running worker.", registry=registry),
        # Set by shared.lag from this worker's own consumer: the broker may not export lag.
        consumer_lag=Gauge(
            f"{p}_consumer_lag_messages",
            "Messages in an assigned input partition not yet committed by this worker's group.",
            ["group", "topic", "partition"],
            registry=registry,
        ),
    )
