"""What every worker shares: the faust app, metrics, health, and per-message error handling.

A stage's ``app`` module builds a :class:`StageRuntime`, declares its agent and
hands each event to :meth:`StageRuntime.handle` together with the stage's pure
function (:meth:`StageRuntime.handle_async` for work that waits on I/O, the
fetcher's). ``handle`` owns the rules every stage follows: decode, process, send,
count; any message the function rejects goes to the dead-letter topic with its
reason, and the agent goes on with the next one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust
import faust.streams as faust_streams
from faust.types import EventT, StreamT, TopicT
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from shared import codec, logs, tansu
from shared.connectivity import install_broker_probe
from shared.lag import install_lag_exporter
from shared.records import SCHEMA_VERSION, BadRecord, DeadLetter, WireRecord, b64
from shared.settings import Settings
from shared.topics import STAGE_INPUT, deadletter_of

codec.register()
log = logging.getLogger(__name__)

# Reasons that are the worker's fault rather than the input's; still dead-lettered,
# so nothing is lost, but logged with a stack trace.
INTERNAL_ERROR = "internal_error"
TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True)
class Output:
    """One record a stage's function wants sent."""

    topic: TopicT
    key: str
    value: WireRecord


# A stage's pure per-message function: the message's bytes in, the records to send out.
StageFunction = Callable[[bytes], Sequence[Output]]
# The same for work that waits on I/O itself (the fetcher's HTTP requests).
AsyncStageFunction = Callable[[bytes], Awaitable[Sequence[Output]]]


def make_current(event: EventT) -> None:
    """Make ``event`` the one faust's tables read and write for, in this task only.

    A table picks its store and changelog partition by the current event. In a batch
    from ``take_events`` that is whichever event came last, so each event's turn must
    set it. Only the context variable is set: ``Stream._set_current_event`` also sets
    the stream's ``current_event`` attribute, which ``take_events`` reads to collect
    the events arriving meanwhile; setting it there swapped a new event for an old one
    (found by ``make chaos``: figures lost under load). Private to faust-streaming
    0.15.3, pinned; ``tests/shared/test_worker_batch.py`` fails if it moves.
    """
    faust_streams._current_event.set(weakref.ref(event))


def make_app(stage: str, settings: Settings, *, tables: bool = True, **overrides: Any) -> faust.App:
    """A faust app for ``stage`` with the settings every worker needs (``tables``: it keeps faust tables)."""
    port = settings.port_for(stage)
    options: dict[str, Any] = {
        "broker": f"kafka://{settings.kafka_broker}",
        "store": settings.table_store,
        # One data directory per process: RocksDB locks its files.
        "datadir": str(settings.data_dir / f"{stage}-{port}"),
        "web_host": settings.web_host,
        "web_port": port,
        "web_bind": settings.web_host,
        "topic_partitions": settings.flow_partitions,
        "topic_disable_leader": True,
        "consumer_auto_offset_reset": "earliest",
        "broker_session_timeout": settings.session_timeout_s,
        "broker_heartbeat_interval": max(1.0, settings.session_timeout_s / 4),
        "processing_guarantee": "at_least_once",
        "autodiscover": False,
        "web_enabled": True,
        # Table values and any topic without its own serializer: plain JSON via orjson.
        "value_serializer": codec.CODEC_NAME,
    }
    if settings.on_tansu:
        if tables:
            # Tansu answers ListOffsets(latest) with the last *batch*'s base + 1; table recovery
            # reads changelog ends that way, so one record per batch keeps it right (DESIGN.md).
            # faust has one producer for changelogs and outputs: the setting covers both. A stage
            # without tables never asks for an end offset (lag is read from fetch high watermarks).
            options["producer_max_batch_size"] = 1
        tansu.shorten_fetch_wait()
    options.update(overrides)
    return faust.App(f"wirecount-{stage}", **options)


class StageRuntime:
    """The app, topics, metrics and web endpoints of one stage's worker."""

    def __init__(
        self,
        stage: str,
        settings: Settings,
        *,
        registry: CollectorRegistry | None = None,
        offload: bool = False,
        tables: bool = True,
        time_limit_s: float = 60.0,
    ) -> None:
        from shared.metrics import stage_metrics

        self.stage = stage
        self.settings = settings
        self.app = make_app(stage, settings, tables=tables)
        self.registry = registry or CollectorRegistry()
        self.metrics = stage_metrics(stage, self.registry)
        self.metrics.info.info({"schema": str(SCHEMA_VERSION), "stage": stage})
        self.offload = offload
        self.time_limit_s = time_limit_s
        self.input_topic: TopicT | None = None
        self.deadletter_topic: TopicT | None = None
        input_name = STAGE_INPUT.get(stage)
        if input_name:
            # Raw bytes in: decoding is ours, so undecodable input reaches the
            # dead-letter topic with its original bytes instead of being skipped.
            self.input_topic = self.raw_topic(input_name)
            self.deadletter_topic = self.topic(deadletter_of(input_name), DeadLetter)
        self._install_views()
        install_lag_exporter(self)
        self.broker_probe = install_broker_probe(self)

    def raw_topic(self, name: str) -> TopicT:
        """An input topic whose keys and values reach the agent as the bytes on the wire."""
        return self.app.topic(name, key_serializer="raw", value_serializer="raw")

    def topic(self, name: str, value_type: type[WireRecord]) -> TopicT:
        """An output topic carrying ``value_type`` records keyed by strings."""
        return self.app.topic(name, key_type=str, value_type=value_type, value_serializer=codec.CODEC_NAME)

    # -- per message -------------------------------------------------------

    def input_agent(self, name: str, fn: StageFunction) -> None:
        """Declare the agent of a one-input stage: every message of its input topic through :meth:`handle`."""
        assert self.input_topic is not None

        @self.app.agent(self.input_topic, name=name)
        async def agent(stream: StreamT) -> None:
            async for event in stream.events():
                await self.handle(event, fn)

    async def handle(self, event: EventT, fn: StageFunction) -> None:
        """Process one event with the pure function ``fn`` (in a thread when offloaded): :meth:`handle_async`."""
        await self.handle_async(event, functools.partial(self._run, fn))

    async def handle_async(self, event: EventT, fn: AsyncStageFunction) -> None:
        """Process one event with ``fn``; dead-letter it with a reason if that fails.

        ``messages_consumed_total`` counts a message once it is finished (sent on
        or dead-lettered), so "consumed == produced upstream" means the stage is idle.
        """
        m = self.metrics
        started = time.perf_counter()
        try:
            await self._process(event, fn, started)
        finally:
            m.consumed.labels(event.message.topic).inc()

    async def _process(self, event: EventT, fn: AsyncStageFunction, started: float) -> None:
        m = self.metrics
        try:
            # An absent value becomes b"", which decoding rejects as "empty".
            outputs = await fn(event.message.value or b"")
        except BadRecord as exc:
            await self.dead_letter(event, exc.reason, exc.detail)
            return
        except TimeoutError:
            await self.dead_letter(event, TIMEOUT, f"processing took over {self.time_limit_s} s")
            return
        except Exception as exc:  # errors are data: one bad message never stops the agent
            log.exception("processing failed", extra={"stage": self.stage, "offset": event.message.offset})
            await self.dead_letter(event, INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])
            return
        for out in outputs:
            await out.topic.send(key=out.key, value=out.value)
            m.produced.labels(out.topic.get_topic_name()).inc()
        await self._drain_changelog()
        finished = time.time()
        m.processing_seconds.observe(time.perf_counter() - started)
        m.last_processed.set(finished)
        entered = getattr(outputs[0].value, "entered_at", 0.0) if outputs else 0.0
        if entered:
            m.latency_seconds.labels(outputs[0].topic.get_topic_name()).observe(max(0.0, finished - entered))

    async def handle_batch(
        self, events: Sequence[EventT], fold: Callable[[EventT], None], finish: Callable[[], Sequence[Output]]
    ) -> None:
        """Fold several events with ``fold``, then send what ``finish`` says they changed, once.

        For stages whose effect is state: each event is folded (a rejected one is
        dead-lettered, as :meth:`handle` does); ``finish`` then writes the state and
        returns the records to send. Nothing is acked before that: the caller's
        ``take_events`` acks the batch after this returns, so a kill redelivers it all.
        If ``finish`` fails, the batch's events are dead-lettered as internal errors.
        """
        m = self.metrics
        started = time.perf_counter()
        folded: list[EventT] = []
        try:
            for event in events:
                if await self._fold(event, fold):
                    folded.append(event)
            try:
                outputs = finish()
            except Exception as exc:
                log.exception("batch write failed", extra={"stage": self.stage, "events": len(events)})
                for event in folded:
                    await self.dead_letter(event, INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])
                return
            await self.send(outputs)
            each = (time.perf_counter() - started) / max(1, len(events))
            for _ in folded:
                m.processing_seconds.observe(each)
        finally:
            for event in events:
                m.consumed.labels(event.message.topic).inc()

    async def _fold(self, event: EventT, fold: Callable[[EventT], None]) -> bool:
        """Fold one event of a batch; False (and dead-lettered) when it is rejected."""
        try:
            fold(event)
        except BadRecord as exc:
            await self.dead_letter(event, exc.reason, exc.detail)
            return False
        except Exception as exc:  # errors are data: one bad message never stops the agent
            log.exception("processing failed", extra={"stage": self.stage, "offset": event.message.offset})
            await self.dead_letter(event, INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])
            return False
        return True

    async def send(self, outputs: Sequence[Output]) -> None:
        """Send outputs, hand the table changes over, and record when and how late they left."""
        m = self.metrics
        for out in outputs:
            await out.topic.send(key=out.key, value=out.value)
            m.produced.labels(out.topic.get_topic_name()).inc()
        await self._drain_changelog()
        finished = time.time()
        m.last_processed.set(finished)
        for out in outputs:
            entered = getattr(out.value, "entered_at", 0.0)
            if entered:
                m.latency_seconds.labels(out.topic.get_topic_name()).observe(max(0.0, finished - entered))

    async def _drain_changelog(self, timeout_s: float = 30.0) -> None:
        """Hand this message's table changes to the Kafka producer before the message is acked.

        faust queues table changelog records in a buffer whose ``flush()`` gives up
        after 0.1 s without progress, so an offset could be committed while the
        changes it caused were still queued; a kill -9 then lost them for good
        (found by ``make chaos``: incidents split after an aggregator was killed).
        Emptying the buffer here closes that gap: the commit's own producer flush
        covers everything handed over. Stages without tables never wait.
        """
        buffer = self.app.producer.buffer
        deadline = time.monotonic() + timeout_s
        while buffer.size and time.monotonic() < deadline:
            await buffer.flush_atmost(buffer.size)

    async def _run(self, fn: StageFunction, value: bytes) -> Sequence[Output]:
        if not self.offload:
            return fn(value)
        # CPU-heavy stages run in a thread so heartbeats and the web server keep
        # answering while a large page is parsed.
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(None, fn, value), self.time_limit_s)

    async def dead_letter(self, event: EventT, reason: str, detail: str) -> None:
        """Send the original message, with why it failed, to the stage's dead-letter topic."""
        message = event.message
        key = message.key if isinstance(message.key, bytes) else None
        value = message.value if isinstance(message.value, bytes) else b""
        letter = DeadLetter(
            stage=self.stage,
            reason=reason,
            detail=detail,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            key_b64=b64(key),
            value_b64=b64(value) or "",
            failed_at=logs.now(),
        )
        assert self.deadletter_topic is not None
        await self.deadletter_topic.send(key=key.decode("utf-8", "replace") if key else None, value=letter)
        self.metrics.failures.labels(reason).inc()
        self.metrics.deadlettered.labels(reason).inc()
        log.warning(
            "message dead-lettered",
            extra={"stage": self.stage, "reason": reason, "detail": detail[:200], "offset": message.offset},
        )

    # -- web ---------------------------------------------------------------

    def healthy(self) -> bool:
        """True while every agent of the app is running and the broker answers."""
        agents = list(self.app.agents.values())
        crashed = any(actor.crashed for agent in agents for actor in agent._actors)
        return not crashed and self.broker_probe.connected

    def _install_views(self) -> None:
        runtime = self

        @self.app.page("/metrics")
        async def metrics(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
            runtime.metrics.healthy.set(1 if runtime.healthy() else 0)
            # aiohttp wants the charset apart from the content type.
            content_type = CONTENT_TYPE_LATEST.split(";", 1)[0] + "; version=0.0.4"
            return web.bytes(generate_latest(runtime.registry), content_type=content_type)

        @self.app.page("/health")
        async def health(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
            ok = runtime.healthy()
            body = {"stage": runtime.stage, "status": "ok" if ok else "unhealthy"}
            body["broker"] = "connected" if runtime.broker_probe.connected else "unreachable"
            return web.json(body, status=200 if ok else 503)


def _ensure_topics_patiently(settings: Settings) -> None:
    """Create the topics, waiting for the broker as long as it takes (backoff up to 30 s), never exiting."""
    from aiokafka.errors import KafkaError

    from shared.admin import ensure_pipeline_topics

    pause = 1.0
    while True:
        try:
            ensure_pipeline_topics(settings)
            return
        except (KafkaError, OSError) as exc:
            log.warning("broker unreachable at start; retrying", extra={"error": repr(exc), "retry_s": pause})
            time.sleep(pause)
            pause = min(30.0, pause * 2)


def run_worker(runtime: StageRuntime) -> None:
    """Create the pipeline's topics, then run the stage's faust worker until stopped."""
    _ensure_topics_patiently(runtime.settings)
    # faust creates only the last level of its data directory.
    Path(runtime.app.conf.datadir).mkdir(parents=True, exist_ok=True)
    worker = faust.Worker(
        runtime.app,
        loglevel=runtime.settings.log_level,
        quiet=True,  # no banner or spinner: logs are JSON lines
        logging_config=logs.dict_config(runtime.settings.log_level),
    )
    log.info("worker starting", extra={"stage": runtime.stage, "broker": runtime.settings.kafka_broker})
    worker.execute_from_commandline()
