"""Fixtures shared by the whole suite: a real embedded broker and the pipeline on it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.broker import EmbeddedBroker
from shared.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """A Tansu broker on a free loopback port for the whole session."""
    log_path = tmp_path_factory.mktemp("broker") / "broker.log"
    with EmbeddedBroker(log_path=log_path) as running:
        yield running


@pytest.fixture
def tansu_settings(broker: EmbeddedBroker) -> Settings:
    """Settings pointing at the session's embedded broker."""
    return load_settings({"KAFKA_BROKER": broker.bootstrap, "WIRECOUNT_BROKER_FLAVOUR": "tansu"})


async def _produce(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_batch_size=1)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topic, key=key, value=value)
    finally:
        await producer.stop()


def produce(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    """Send raw messages to a topic and wait for the broker to take them."""
    asyncio.run(_produce(bootstrap, topic, messages))


async def _consume_all(
    bootstrap: str, topic: str, expect: int, timeout_s: float, until: Callable[[bytes], bool] | None
) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout_s
        while len(values) < expect and asyncio.get_running_loop().time() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                values += [r.value for r in records if r.value is not None]
            if until is not None and any(until(v) for v in values):
                break
    finally:
        await consumer.stop()
    return values


def consume_all(
    bootstrap: str,
    topic: str,
    expect: int,
    timeout_s: float = 30.0,
    until: Callable[[bytes], bool] | None = None,
) -> list[bytes]:
    """Read a topic from the start until ``expect`` values arrived, one matched ``until``, or time ran out."""
    return asyncio.run(_consume_all(bootstrap, topic, expect, timeout_s, until))
