from __future__ import annotations

import asyncio

import aiokafka
from faust.transport.drivers import aiokafka as driver

from shared import tansu
from shared.settings import load_settings
from shared.worker import make_app


def test_pinned_aiokafka_still_reads_the_patched_attribute() -> None:
    # The workaround sets a private attribute; fail loudly if an upgrade renames it.
    async def build() -> int:
        consumer = aiokafka.AIOKafkaConsumer(bootstrap_servers="127.0.0.1:1", fetch_max_wait_ms=1500)
        return int(consumer._fetch_max_wait_ms)

    assert asyncio.run(build()) == 1500


def test_tansu_apps_get_the_short_fetch_wait() -> None:
    make_app("parser", load_settings({"KAFKA_BROKER": "127.0.0.1:1", "WIRECOUNT_BROKER_FLAVOUR": "tansu"}))
    assert driver.AIOKafkaConsumerThread._create_worker_consumer is tansu._create_worker_consumer


def test_one_record_per_batch_only_for_stages_with_tables() -> None:
    settings = load_settings({"KAFKA_BROKER": "127.0.0.1:1", "WIRECOUNT_BROKER_FLAVOUR": "tansu"})
    with_tables = make_app("aggregator", settings, tables=True)
    without = make_app("parser", settings, tables=False)
    assert with_tables.conf.producer_max_batch_size == 1
    assert without.conf.producer_max_batch_size > 1
    on_kafka = make_app("aggregator", load_settings({"KAFKA_BROKER": "127.0.0.1:1"}), tables=True)
    assert on_kafka.conf.producer_max_batch_size > 1
