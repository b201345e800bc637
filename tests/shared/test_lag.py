from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import NamedTuple

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from shared.lag import LagExporter, PartitionLag, lag_rows, partition_lag
from shared.metrics import stage_metrics


class TP(NamedTuple):
    topic: str
    partition: int


@pytest.mark.parametrize(
    ("highwater", "committed", "position", "expected"),
    [
        (10, 4, None, 6),
        (10, 10, None, 0),
        (10, None, 3, 7),  # nothing committed yet: measured from where the consumer reads
        (None, 4, 4, None),  # no fetch response yet: unknown, not zero
        (10, None, None, None),
        (5, 7, None, 0),  # a commit seen before the next fetch response: never negative
    ],
)
def test_partition_lag(
    highwater: int | None, committed: int | None, position: int | None, expected: int | None
) -> None:
    assert partition_lag(highwater, committed, position) == expected


def test_lag_rows_skip_unknown_partitions_and_sort() -> None:
    rows = lag_rows({("b", 1): 9, ("a", 0): 3, ("a", 1): None}, {("b", 1): 2, ("a", 0): 3}, {})
    assert rows == [PartitionLag("a", 0, 0), PartitionLag("b", 1, 7)]


class FakeConsumer:
    """Only what the exporter reads from faust's consumer."""

    def __init__(self) -> None:
        self.assigned: set[TP] = set()
        self.highwaters: dict[TP, int | None] = {}
        self._committed_offset: defaultdict[TP, int | None] = defaultdict(lambda: None)
        self.positions: dict[TP, int] = {}

    def assignment(self) -> set[TP]:
        return set(self.assigned)

    def highwater(self, tp: TP) -> int | None:
        return self.highwaters.get(tp)

    async def position(self, tp: TP) -> int | None:
        return self.positions.get(tp)


def exporter_and_text() -> tuple[LagExporter, FakeConsumer, CollectorRegistry]:
    consumer = FakeConsumer()
    agent = SimpleNamespace(channel=SimpleNamespace(topics=("articles.raw",)))
    app = SimpleNamespace(consumer=consumer, agents={"parse": agent})
    registry = CollectorRegistry()
    gauge = stage_metrics("parser", registry).consumer_lag
    return LagExporter(app, gauge, "wirecount-parser"), consumer, registry


def test_exporter_sets_lag_of_assigned_input_partitions_only() -> None:
    exporter, consumer, registry = exporter_and_text()
    raw0, raw1, changelog = (
        TP("articles.raw", 0),
        TP("articles.raw", 1),
        TP("wirecount-parser-t-changelog", 0),
    )
    consumer.assigned = {raw0, raw1, changelog}
    consumer.highwaters = {raw0: 12, raw1: 5, changelog: 99}
    consumer._committed_offset[raw0] = 10
    consumer.positions[raw1] = 1
    asyncio.run(exporter.update())
    text = generate_latest(registry).decode()
    metric = "wirecount_parser_consumer_lag_messages"
    assert f'{metric}{{group="wirecount-parser",partition="0",topic="articles.raw"}} 2.0' in text
    assert f'{metric}{{group="wirecount-parser",partition="1",topic="articles.raw"}} 4.0' in text
    assert "changelog" not in text


def test_exporter_drops_series_of_revoked_partitions() -> None:
    exporter, consumer, registry = exporter_and_text()
    raw0, raw1 = TP("articles.raw", 0), TP("articles.raw", 1)
    consumer.assigned = {raw0, raw1}
    consumer.highwaters = {raw0: 3, raw1: 3}
    consumer._committed_offset.update({raw0: 1, raw1: 2})
    asyncio.run(exporter.update())
    consumer.assigned = {raw0}  # partition 1 moved to another replica
    asyncio.run(exporter.update())
    text = generate_latest(registry).decode()
    assert 'partition="0"' in text
    assert 'partition="1"' not in text


def test_exporter_survives_a_consumer_that_is_not_started() -> None:
    exporter, consumer, registry = exporter_and_text()

    def not_started() -> set[TP]:
        raise RuntimeError("consumer not started")

    consumer.assignment = not_started  # type: ignore[method-assign]
    asyncio.run(exporter.update())  # must not raise: a metric never stops a worker
    assert "wirecount_parser_consumer_lag_messages{" not in generate_latest(registry).decode()
