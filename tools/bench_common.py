"""What the benchmark's sections share: per-article CPU costs, publishing, pipelines, memory."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from shared import topics
from shared.settings import load_settings
from shared.supervisor import Pipeline


@dataclass
class StageCost:
    """Per-article CPU cost of one stage's pure function."""

    name: str
    samples_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.samples_ms)


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile of ``values`` (nearest rank); 0 for none."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def cpu_ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    """CPU milliseconds of this thread spent in ``fn()``, and its result."""
    start = time.thread_time()
    result = fn()
    return (time.thread_time() - start) * 1000, result


async def _publish(bootstrap: str, topic: str, records: list[Any], rate: float | None) -> None:
    # One record per batch: the embedded broker's workaround (DESIGN.md), as the workers use it.
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_batch_size=1)
    await producer.start()
    try:
        started = time.monotonic()
        futures = []
        for i, record in enumerate(records):
            if rate:
                await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            value = record.derive(entered_at=time.time()).dumps()
            futures.append(await producer.send(topic, key=record.article_id.encode(), value=value))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


def publish(bootstrap: str, records: list[Any], rate: float | None = None, topic: str = topics.RAW) -> None:
    """Send records to ``topic`` as fast as possible, or at ``rate`` per second, stamping entered_at."""
    asyncio.run(_publish(bootstrap, topic, records, rate))


def rss_peak_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_pipeline(workdir: Path, replicas: dict[str, int]) -> Pipeline:
    """A fresh embedded broker and workers."""
    return Pipeline(load_settings({}), workdir, replicas=replicas, default_ports=False).start()
