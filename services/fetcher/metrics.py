"""The fetcher's own Prometheus metrics, built once per process by :func:`fetcher_metrics`.

Labels are bounded: ``outcome`` from :data:`services.fetcher.http.OUTCOMES` and the
fixed poll/entry sets below; ``source`` only from the first :data:`MAX_SOURCE_LABELS`
source names seen (configured sources), the rest share ``other``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.fetcher.http import OUTCOMES

# Fetch latency: a fast page takes ~50 ms, a slow site up to the 20 s timeout.
FETCH_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)
POLL_OUTCOMES = (
    "ok",
    "not_modified",
    "malformed_feed",
    "malformed_sitemap",
    "unsafe_xml",
    "decode_error",
    *(o for o in OUTCOMES if o not in ("2xx", "not_modified")),
)
ENTRY_RESULTS = ("found", "already_seen", "in_flight", "published", "failed", "gave_up")
# Enough for a real deployment's feed list; more would be unbounded input from the topic.
MAX_SOURCE_LABELS = 200
OTHER = "other"


@dataclass
class FetcherMetrics:
    """Counters, histograms and gauges of the fetcher (besides the per-stage ones)."""

    requests: Counter
    received_bytes: Counter
    fetch_seconds: Histogram
    polls: Counter
    entries: Counter
    sources_owned: Gauge
    source_last_success: Gauge
    _labels: set[str] = field(default_factory=set)

    def source_label(self, name: str) -> str:
        """``name`` as a label value, or ``other`` once the label budget is spent."""
        if name in self._labels:
            return name
        if len(self._labels) < MAX_SOURCE_LABELS:
            self._labels.add(name)
            return name
        return OTHER

    def request(self, outcome: str, elapsed_s: float, received_bytes: int) -> None:
        """Record one HTTP attempt (the fetcher's Observer interface)."""
        self.requests.labels(outcome if outcome in OUTCOMES else "connection_error").inc()
        self.received_bytes.inc(received_bytes)
        self.fetch_seconds.observe(elapsed_s)


def fetcher_metrics(registry: CollectorRegistry) -> FetcherMetrics:
    """Create the fetcher's metrics on ``registry``; every outcome starts at zero."""
    p = "wirecount_fetcher"
    metrics = FetcherMetrics(
        requests=Counter(f"{p}_requests", "HTTP attempts by outcome.", ["outcome"], registry=registry),
        received_bytes=Counter(f"{p}_received_bytes", "Response body bytes received.", registry=registry),
        fetch_seconds=Histogram(
            f"{p}_fetch_seconds",
            "Time of one HTTP attempt, redirects included.",
            buckets=FETCH_BUCKETS,
            registry=registry,
        ),
        polls=Counter(f"{p}_polls", "Source polls by outcome.", ["outcome"], registry=registry),
        entries=Counter(
            f"{p}_entries", "Feed entries by what became of them.", ["result"], registry=registry
        ),
        sources_owned=Gauge(f"{p}_sources_owned", "Sources this replica polls.", registry=registry),
        source_last_success=Gauge(
            f"{p}_source_last_success_timestamp_seconds",
            "Unix time of the last successful poll of a source.",
            ["source"],
            registry=registry,
        ),
    )
    for outcome in OUTCOMES:
        metrics.requests.labels(outcome)
    for outcome in POLL_OUTCOMES:
        metrics.polls.labels(outcome)
    for result in ENTRY_RESULTS:
        metrics.entries.labels(result)
    return metrics
