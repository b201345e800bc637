"""A worker whose broker goes away: it stays alive and idle, says so, and resumes by itself.

The embedded broker keeps everything in memory, so "the broker comes back" here
means a new, empty broker on the same port: topics are created again and the
worker must carry on without being restarted (committed offsets are gone too,
which is why it reads the new topic from the start).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from shared.admin import ensure_pipeline_topics
from shared.broker import EmbeddedBroker, free_port
from shared.settings import Settings, load_settings
from shared.supervisor import Pipeline, WorkerProcess, http_get, metric_sum, scrape
from tests.conftest import consume_all, produce
from tools.procstat import cpu_seconds

pytestmark = pytest.mark.integration

# Two cores shared with everything else: an idle retry loop uses a few percent at most.
MAX_CPU_SHARE = 0.25


def article(n: int) -> bytes:
    text = f"Report {n}. Twelve people were killed in an explosion in Aleppo, Syria, officials said. " * 3
    record = {"schema": 1, "article_id": f"trouble-{n}", "url": f"https://trouble.example/{n}", "text": text}
    return orjson.dumps(record | {"entered_at": time.time()})


def health(worker: WorkerProcess) -> int:
    try:
        return http_get(worker.url + "/health", 2.0)[0]
    except OSError:
        return 0  # not answering at all counts as unhealthy too


def wait_for(predicate: object, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def parsed_ids(bootstrap: str, expect: int, timeout_s: float) -> set[str]:
    values = consume_all(bootstrap, "articles.parsed", expect, timeout_s)
    return {orjson.loads(v)["article_id"] for v in values}


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[int, Settings, Path]]:
    port = free_port()
    settings = load_settings({"KAFKA_BROKER": f"127.0.0.1:{port}", "WIRECOUNT_BROKER_FLAVOUR": "tansu"})
    yield port, settings, tmp_path


def test_broker_stopped_and_started_again(setup: tuple[int, Settings, Path]) -> None:
    port, settings, workdir = setup
    broker = EmbeddedBroker(port=port, log_path=workdir / "broker.log").start()
    env = {"WIRECOUNT_BROKER_FLAVOUR": "tansu"}
    pipeline = Pipeline(settings, workdir, replicas={"parser": 1}, extra_env=env, default_ports=False)
    try:
        pipeline.start()
        [worker] = pipeline.of("parser")
        produce(broker.bootstrap, "articles.raw", [(b"trouble-1", article(1))])
        assert parsed_ids(broker.bootstrap, 1, 60) == {"trouble-1"}

        broker.stop()
        wait_for(lambda: health(worker) == 503, 20, "/health to report the lost broker")
        gauge = "wirecount_parser_broker_connected"
        assert metric_sum(scrape(worker.url), gauge) == 0
        cpu_before, started = cpu_seconds(worker.process.pid), time.monotonic()
        time.sleep(12)
        share = (cpu_seconds(worker.process.pid) - cpu_before) / (time.monotonic() - started)
        assert worker.process.poll() is None, "the worker exited while the broker was away"
        assert share < MAX_CPU_SHARE, f"the worker spins: {share:.0%} of a core"
        assert health(worker) == 503

        broker = EmbeddedBroker(port=port, log_path=workdir / "broker.log").start()
        ensure_pipeline_topics(settings)
        produce(broker.bootstrap, "articles.raw", [(b"trouble-2", article(2))])
        assert parsed_ids(broker.bootstrap, 1, 90) == {"trouble-2"}
        wait_for(lambda: health(worker) == 200, 20, "/health to recover")
        assert metric_sum(scrape(worker.url), gauge) == 1
        assert worker.process.poll() is None and len(pipeline.workers) == 1  # never restarted
    finally:
        pipeline.stop()
        broker.stop()


def test_worker_started_before_its_broker_waits_for_it(setup: tuple[int, Settings, Path]) -> None:
    port, settings, workdir = setup
    (workdir / "logs").mkdir()
    pipeline = Pipeline(settings, workdir, replicas={}, default_ports=False)
    env = {"KAFKA_BROKER": settings.kafka_broker, "WIRECOUNT_BROKER_FLAVOUR": "tansu"}
    worker = pipeline.spawn("parser", dict(os.environ) | env)
    broker = None
    try:
        time.sleep(8)  # connection refused all along
        assert worker.process.poll() is None, "the worker gave up on a broker that was not there yet"
        assert health(worker) != 200
        broker = EmbeddedBroker(port=port, log_path=workdir / "broker.log").start()
        pipeline.wait_healthy(worker, time.monotonic() + 90)
        produce(broker.bootstrap, "articles.raw", [(b"trouble-3", article(3))])
        assert parsed_ids(broker.bootstrap, 1, 60) == {"trouble-3"}
    finally:
        pipeline.stop()
        if broker is not None:
            broker.stop()
