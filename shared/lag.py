"""Consumer lag per group, topic and partition, measured by each worker from its own consumer.

Lag is the partition's high watermark, as the broker reports it in every fetch
response, minus the group's committed offset (the next offset the group will
read). It is deliberately *not* computed from ``end_offsets()`` (ListOffsets):
the embedded broker answers that with the last batch's base offset + 1, which
is wrong (DESIGN.md), while the high watermark in fetch responses is right on
every broker. Each replica exports only the partitions assigned to it, so
``sum by (topic)`` over replicas counts every partition once.

The exporter reaches the faust app and the gauge only through the objects it is
given, so this module imports neither faust nor prometheus_client.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Often enough for a 15 s scrape to always see a fresh value, rare enough to cost nothing.
LAG_INTERVAL_S = 5.0
# A position lookup can wait on a fetch; the exporter must never hold up the event loop.
POSITION_TIMEOUT_S = 1.0


@dataclass(frozen=True, slots=True)
class PartitionLag:
    """How far one consumer group is behind on one partition."""

    topic: str
    partition: int
    lag: int


class LabelledGauge(Protocol):
    """The part of a prometheus ``Gauge`` with labels that the exporter uses."""

    def labels(self, *values: str) -> Any: ...

    def remove(self, *values: str) -> None: ...


def partition_lag(highwater: int | None, committed: int | None, position: int | None) -> int | None:
    """Messages behind: high watermark minus the committed offset (or the position before any commit)."""
    if highwater is None:
        return None  # no fetch response for this partition yet: unknown, not zero
    base = committed if committed is not None else position
    if base is None:
        return None
    return max(0, highwater - base)


def lag_rows(
    highwaters: Mapping[tuple[str, int], int | None],
    committed: Mapping[tuple[str, int], int | None],
    positions: Mapping[tuple[str, int], int | None],
) -> list[PartitionLag]:
    """The known lag of every (topic, partition) in ``highwaters``, sorted by topic and partition."""
    rows = []
    for tp in sorted(highwaters):
        lag = partition_lag(highwaters[tp], committed.get(tp), positions.get(tp))
        if lag is not None:
            rows.append(PartitionLag(tp[0], tp[1], lag))
    return rows


def label_sets(group: str, rows: Iterable[PartitionLag]) -> dict[tuple[str, str, str], int]:
    """Gauge label values (group, topic, partition) mapped to the lag to set."""
    return {(group, r.topic, str(r.partition)): r.lag for r in rows}


class LagExporter:
    """Keeps a ``{group, topic, partition}`` gauge equal to the lag of the partitions this worker owns."""

    def __init__(self, app: Any, gauge: LabelledGauge, group: str) -> None:
        self.app = app
        self.gauge = gauge
        self.group = group
        self._exported: set[tuple[str, str, str]] = set()

    def input_topics(self) -> set[str]:
        """Names of the topics the app's agents consume (not table changelogs)."""
        names: set[str] = set()
        for agent in self.app.agents.values():
            names.update(getattr(agent.channel, "topics", ()) or ())
        return names

    async def update(self) -> None:
        """Read the consumer's offsets and set (or remove) the gauge's series; never raises."""
        try:
            rows = await self._measure()
        except Exception as exc:  # not started yet, rebalancing: the next tick tries again
            log.debug("consumer lag unavailable", extra={"error": repr(exc)})
            return
        self.publish(rows)

    def publish(self, rows: Iterable[PartitionLag]) -> None:
        """Set the gauge from ``rows``; drop series of partitions this worker no longer owns."""
        current = label_sets(self.group, rows)
        for labels, lag in current.items():
            self.gauge.labels(*labels).set(lag)
        # A revoked partition is now another replica's: keeping it would count it twice.
        for labels in self._exported - current.keys():
            self.gauge.remove(*labels)
        self._exported = set(current)

    async def _measure(self) -> list[PartitionLag]:
        consumer = self.app.consumer
        wanted = self.input_topics()
        assigned = [tp for tp in consumer.assignment() if tp.topic in wanted]
        # faust keeps the group's committed offsets (next offset to read) per partition.
        committed_by_tp: Mapping[Any, int | None] = getattr(consumer, "_committed_offset", {})
        highwaters: dict[tuple[str, int], int | None] = {}
        committed: dict[tuple[str, int], int | None] = {}
        positions: dict[tuple[str, int], int | None] = {}
        for tp in assigned:
            key = (tp.topic, tp.partition)
            highwaters[key] = consumer.highwater(tp)
            # .get, not []: faust's defaultdict would otherwise grow an entry.
            committed[key] = committed_by_tp.get(tp)
            if committed[key] is None:
                positions[key] = await asyncio.wait_for(consumer.position(tp), POSITION_TIMEOUT_S)
        return lag_rows(highwaters, committed, positions)


def install_lag_exporter(runtime: Any, interval_s: float = LAG_INTERVAL_S) -> LagExporter:
    """Export ``runtime``'s consumer lag on its ``consumer_lag`` gauge every ``interval_s`` seconds."""
    exporter = LagExporter(runtime.app, runtime.metrics.consumer_lag, runtime.app.conf.id)

    @runtime.app.timer(interval_s, name=f"{runtime.stage}-consumer-lag")
    async def export_consumer_lag() -> None:
        await exporter.update()

    return exporter
