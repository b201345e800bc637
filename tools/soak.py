"""Sustained load above capacity: lag must grow then drain, and no worker's memory may creep."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from shared.supervisor import Pipeline, metric_sum, scrape
from tools.chaos_io import Publisher
from tools.generator import generate_corpus
from tools.procstat import rss_bytes

SAMPLE_EVERY_S = 5.0
MB = 1024 * 1024
# Allowed growth of a worker's RSS from soak start to end: caches fill once, a leak keeps going.
RSS_SLACK = 1.25
RSS_SLACK_MB = 64


@dataclass
class SoakReport:
    """What the soak run measured."""

    seconds: float
    rate: float
    published: int = 0
    lag_samples: list[tuple[float, int]] = field(default_factory=list)
    drain_s: float | None = None
    lag_at_publish_end: int = 0
    rss_mb: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def lag_peak(self) -> int:
        """Largest total consumer lag seen."""
        return max((lag for _, lag in self.lag_samples), default=0)

    @property
    def lag_end(self) -> int:
        """Total consumer lag at the last sample."""
        return self.lag_samples[-1][1] if self.lag_samples else 0

    @property
    def rss_flat(self) -> bool:
        """True when no worker ended much larger than it started."""
        return all(end <= start * RSS_SLACK + RSS_SLACK_MB for start, end in self.rss_mb.values())

    def summary(self) -> dict[str, Any]:
        """The soak figures for the chaos summary line."""
        return {
            "soak_s": round(self.seconds),
            "soak_rate": round(self.rate, 1),
            "soak_published": self.published,
            "lag_peak": self.lag_peak,
            "lag_at_publish_end": self.lag_at_publish_end,
            "lag_end": self.lag_end,
            "drain_s": None if self.drain_s is None else round(self.drain_s, 1),
            "rss_flat": self.rss_flat,
            "rss_mb": {k: [round(a), round(b)] for k, a, b in ((k, *v) for k, v in self.rss_mb.items())},
        }


def total_lag(pipeline: Pipeline) -> int:
    """Sum of every worker's exported consumer lag (each exports only its own partitions)."""
    total = 0.0
    for worker in pipeline.workers:
        if worker.process.poll() is not None:
            continue
        try:
            total += metric_sum(scrape(worker.url), f"wirecount_{worker.stage}_consumer_lag_messages")
        except OSError:
            continue
    return int(total)


def _rss(pipeline: Pipeline) -> dict[str, float]:
    return {
        f"{w.stage}:{w.port}": rss_bytes(w.process.pid) / MB
        for w in pipeline.workers
        if w.process.poll() is None
    }


def soak(pipeline: Pipeline, seconds: float, rate: float, seed: int = 99, log: Any = print) -> SoakReport:
    """Publish recycled pages at ``rate``/s for ``seconds``, then wait for the lag to drain."""
    report = SoakReport(seconds, rate)
    # A fixed pool re-sent under new URLs: the pages name their canonical URL, so the
    # aggregator sees known articles and its state stays bounded; every stage still does the work.
    pool = generate_corpus(300, seed=seed, page_bytes=(8_000, 30_000))
    count = int(seconds * rate)
    pages = [pool[i % len(pool)] for i in range(count)]
    start_rss = _rss(pipeline)
    started = time.monotonic()
    publisher = Publisher(pipeline.bootstrap, pages, rate, url_suffix="soak").start()
    while not publisher.done:
        time.sleep(SAMPLE_EVERY_S)
        report.lag_samples.append((time.monotonic() - started, total_lag(pipeline)))
        log(f"soak: {publisher.sent}/{count} sent, lag {report.lag_samples[-1][1]}")
    report.published = publisher.sent
    report.lag_at_publish_end = total_lag(pipeline)
    stopped = time.monotonic()
    deadline = stopped + max(120.0, 1.5 * seconds)
    while time.monotonic() < deadline:
        time.sleep(SAMPLE_EVERY_S)
        lag = total_lag(pipeline)
        report.lag_samples.append((time.monotonic() - started, lag))
        if lag == 0:
            report.drain_s = time.monotonic() - stopped
            break
    end_rss = _rss(pipeline)
    report.rss_mb = {k: (v, end_rss.get(k, 0.0)) for k, v in start_rss.items() if k in end_rss}
    return report
