"""Workarounds for the embedded broker (Tansu 0.6.0) that need more than a faust setting.

Tansu holds a fetch for its full ``fetch_max_wait_ms`` when new data lands on a
partition other than the one that woke it, so with several partitions a message
can wait up to the whole wait time (measured: 1.23 s of faust's hard-coded
1.5 s per hop, about 2 s end to end at light load). Kafka answers as soon as
``fetch_min_bytes`` is there; on Tansu a short wait does the same job.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka

# Short enough that a hop costs milliseconds; long enough that idle consumers
# ask the broker only ~20 times a second.
TANSU_FETCH_MAX_WAIT_MS = 50

_original = faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer


def _create_worker_consumer(self: Any, transport: Any) -> Any:
    consumer = _original(self, transport)
    # faust passes fetch_max_wait_ms=1500 with no setting to change it; aiokafka reads
    # this attribute when its fetcher starts (aiokafka 0.14.0, pinned).
    consumer._fetch_max_wait_ms = TANSU_FETCH_MAX_WAIT_MS
    return consumer


def shorten_fetch_wait() -> None:
    """Make every faust worker consumer in this process use the short fetch wait (idempotent)."""
    faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer = _create_worker_consumer  # type: ignore[method-assign]
