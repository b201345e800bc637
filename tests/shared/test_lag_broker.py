"""Consumer lag against the embedded broker: the high watermark of fetch responses is the true end."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from prometheus_client import CollectorRegistry

from shared.admin import ensure_topics
from shared.broker import EmbeddedBroker
from shared.lag import LagExporter
from shared.metrics import stage_metrics
from shared.topics import TopicSpec

pytestmark = pytest.mark.integration

TOPIC = "lag.check"
SENT = 10
READ = 4


class ConsumerView:
    """An aiokafka consumer seen through the few members the exporter reads from faust's."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer
        self._committed_offset: dict[TopicPartition, int | None] = {}

    def assignment(self) -> set[TopicPartition]:
        return set(self.consumer.assignment())

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.consumer.highwater(tp)

    async def position(self, tp: TopicPartition) -> int:
        return await self.consumer.position(tp)


async def measure(bootstrap: str) -> dict[str, float]:
    await ensure_topics(bootstrap, [TopicSpec(TOPIC, 2)])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)  # default batching: several records per batch
    await producer.start()
    try:
        sent = [await producer.send(TOPIC, value=b"x", partition=0) for _ in range(SENT)]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id="lag-check",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        tp0, tp1 = TopicPartition(TOPIC, 0), TopicPartition(TOPIC, 1)
        consumer.assign([tp0, tp1])
        taken = 0
        while taken < READ:
            batches = await consumer.getmany(tp0, timeout_ms=1000, max_records=READ - taken)
            taken += sum(len(records) for records in batches.values())
        await consumer.commit({tp0: READ})
        await consumer.getmany(tp1, timeout_ms=500)  # a fetch response for the empty partition too
        view = ConsumerView(consumer)
        view._committed_offset[tp0] = await consumer.committed(tp0)
        registry = CollectorRegistry()
        agent = SimpleNamespace(channel=SimpleNamespace(topics=(TOPIC,)))
        exporter = LagExporter(
            SimpleNamespace(consumer=view, agents={"a": agent}),
            stage_metrics("parser", registry).consumer_lag,
            "lag-check",
        )
        await exporter.update()
    finally:
        await consumer.stop()
    name = "wirecount_parser_consumer_lag_messages"
    values = {
        sample.labels["partition"]: sample.value
        for family in registry.collect()
        for sample in family.samples
        if sample.name == name
    }
    return values


def test_lag_is_high_watermark_minus_committed_offset(broker: EmbeddedBroker) -> None:
    # Sent with default batching: on the embedded broker, end_offsets() would be wrong here.
    assert asyncio.run(measure(broker.bootstrap)) == {"0": float(SENT - READ), "1": 0.0}
