"""The chaos run's I/O: publishing a corpus at a pace, reading topics in full, the aggregator's answers."""

from __future__ import annotations

import asyncio
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services.fetcher.logic import raw_from_html_bytes
from shared import topics
from shared.supervisor import WorkerProcess, http_get
from tools.generator import GeneratedArticle

# Pages are up to a few hundred kB in base64; one record per request on the embedded broker.
PRODUCER_OPTIONS = {"acks": "all", "max_batch_size": 1, "max_request_size": 4 * 1024 * 1024}
# Records sent but not yet acknowledged, at most: one at a time could not outrun the pipeline.
IN_FLIGHT = 32


@dataclass
class Publisher:
    """Publishes articles to ``articles.raw`` from a thread, ``rate`` per second, counting what it sent."""

    bootstrap: str
    articles: Sequence[GeneratedArticle]
    rate: float
    url_suffix: str = ""  # soak runs re-send pages under new URLs
    sent: int = 0
    error: str | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Publisher:
        """Begin publishing in the background."""
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()
        return self

    def join(self, timeout_s: float | None = None) -> None:
        """Wait for the publisher to finish (or be stopped)."""
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def done(self) -> bool:
        """True once every article was sent or the publisher was stopped."""
        return self._thread is not None and not self._thread.is_alive()

    async def _run(self) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, **PRODUCER_OPTIONS)
        await producer.start()
        started = time.monotonic()
        pending: deque[asyncio.Future[Any]] = deque()
        try:
            for i, article in enumerate(self.articles):
                if self.stop.is_set():
                    break
                url = article.url + (f"?{self.url_suffix}={i}" if self.url_suffix else "")
                raw = raw_from_html_bytes(
                    article.html, url=url, entered_at=time.time(), lang=article.lang, source="generator"
                )
                pending.append(
                    await producer.send(topics.RAW, key=raw.article_id.encode(), value=raw.dumps())
                )
                # A bounded window: fast enough to overload the pipeline, never unbounded.
                while pending and (len(pending) >= IN_FLIGHT or pending[0].done()):
                    await pending.popleft()
                    self.sent += 1
                # Paced by the clock, not by sleeps alone, so a slow send does not lower the rate.
                ahead = started + (i + 1) / self.rate - time.monotonic()
                if ahead > 0:
                    await asyncio.sleep(ahead)
            while pending:
                await pending.popleft()
                self.sent += 1
        except Exception as exc:  # reported by the caller; a chaos run must not hang on it
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            await producer.stop()


async def _read(bootstrap: str, topic: str, idle_s: float) -> list[tuple[bytes | None, bytes | None]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    out: list[tuple[bytes | None, bytes | None]] = []
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assignment = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assignment)
        await consumer.seek_to_beginning(*assignment)
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < idle_s:
            batches = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batches.values():
                out += [(r.key, r.value) for r in records]
                quiet_since = time.monotonic()
    finally:
        await consumer.stop()
    return out


def read_topic(bootstrap: str, topic: str, idle_s: float = 2.0) -> list[tuple[bytes | None, bytes | None]]:
    """Every (key, value) of ``topic``, read from the start until nothing came for ``idle_s``."""
    return asyncio.run(_read(bootstrap, topic, idle_s))


async def _group_lag(bootstrap: str, group: str, topic_names: Sequence[str]) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()  # never subscribes: reads the group's commits without joining it
    try:
        tps = [
            TopicPartition(topic, p)
            for topic in topic_names
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        ends = await consumer.end_offsets(tps)
        lag = 0
        for tp in tps:
            lag += max(0, ends[tp] - (await consumer.committed(tp) or 0))
        return lag
    finally:
        await consumer.stop()


def group_lag(bootstrap: str, group: str, topic_names: Sequence[str]) -> int:
    """Records of ``topic_names`` the consumer group ``group`` has not committed yet.

    Read from the broker, not from the workers' own lag gauges: while a killed worker's session
    runs out, its partitions belong to no one and no gauge counts them.
    """
    return asyncio.run(_group_lag(bootstrap, group, topic_names))


def read_keys(bootstrap: str, topic: str, idle_s: float = 2.0) -> set[str]:
    """Every distinct key of ``topic`` (see :func:`read_topic`)."""
    return {k.decode("utf-8", "replace") for k, _ in read_topic(bootstrap, topic, idle_s) if k is not None}


def extracted_figure_ids(bootstrap: str) -> set[str]:
    """``article:index`` of every top-level figure in ``articles.extracted`` (what routing should send on)."""
    ids: set[str] = set()
    for _, value in read_topic(bootstrap, topics.EXTRACTED):
        if value:
            record = orjson.loads(value)
            for index, figure in enumerate(record.get("casualties") or ()):
                if figure.get("subset_of") is None:
                    ids.add(f"{record.get('article_id')}:{index}")
    return ids


def diagnose(bootstrap: str, workers: Sequence[WorkerProcess]) -> dict[str, Any]:
    """Where figures went, topic by topic and replica by replica: for a failed comparison.

    ``extracted_ids`` and ``routed_ids`` name each figure, so two runs' diagnoses show
    at which stage a missing figure dropped out.
    """
    figure_ids = set()
    for _, value in read_topic(bootstrap, topics.AGGREGATOR_FIGURES):
        if value:
            figure_ids.add(orjson.loads(value).get("figure_id"))
    latest: dict[str, Any] = {}
    for _, value in read_topic(bootstrap, topics.INCIDENTS):
        if value:
            record = orjson.loads(value)
            latest[record["id"]] = record
    reports = sum(len(r["data"].get("reports", ())) for r in latest.values() if r.get("type") == "incident")
    answers: dict[str, Any] = {}
    for worker in workers:
        try:
            incidents, tolls, _ = aggregator_answers(worker)
            answers[str(worker.port)] = [
                len(incidents),
                sum(len(d["reports"]) for d in incidents),
                len(tolls),
            ]
        except (OSError, ValueError, KeyError) as exc:
            answers[str(worker.port)] = repr(exc)
    return {
        "figure_events": len(figure_ids),
        "incident_topic_ids": len(latest),
        "incident_topic_reports": reports,
        "replicas_incidents_reports_tolls": answers,
        "extracted_ids": sorted(extracted_figure_ids(bootstrap)),
        "routed_ids": sorted(str(i) for i in figure_ids),
    }


def compare_diagnoses(reference: dict[str, Any], chaos: dict[str, Any]) -> dict[str, list[str]]:
    """Figures the reference run had that the chaos run lacks, by the stage they are missing from."""
    out = {}
    for part in ("extracted_ids", "routed_ids"):
        out["missing_" + part] = sorted(set(reference.get(part, ())) - set(chaos.get(part, ())))
        out["extra_" + part] = sorted(set(chaos.get(part, ())) - set(reference.get(part, ())))
    return out


def _get(worker: WorkerProcess, path: str) -> Any:
    status, body = http_get(worker.url + path, 10.0)
    if status != 200:
        raise OSError(f"{path}: HTTP {status}")
    return orjson.loads(body)


def aggregator_answers(worker: WorkerProcess) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any]:
    """Every incident (with its reports), every toll and the totals, as one aggregator replica answers."""
    listed: list[dict[str, Any]] = []
    while True:
        page = _get(worker, f"/incidents?limit=500&offset={len(listed)}")
        listed += page["incidents"]
        if not page["incidents"] or len(listed) >= page["total"]:
            break
    incidents = [_get(worker, "/incidents/" + urllib.parse.quote(d["id"], safe="")) for d in listed]
    tolls = _get(worker, "/tolls")["tolls"]
    totals = _get(worker, "/totals?group_by=country,kind")
    return incidents, tolls, totals
