"""Aggregator worker: ``articles.extracted`` -> incidents and tolls -> ``casualties.incidents`` and the API.

Three parts, all faust wiring over the pure modules beside this one:

- ``route``: articles into figure events keyed by block (country and kind), so
  every figure that may be the same incident meets in one partition;
- ``merge``: figure events into incidents and tolls, kept in changelogged tables
  (RocksDB), taken in batches (``take_events``) so each key a batch touches is
  written, and each changed document published to the compacted
  ``casualties.incidents``, once per batch;
- a view task that reads all of ``casualties.incidents`` into memory, so every
  replica answers every query in full.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import faust
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from faust.streams import Stream
from faust.types import EventT, StreamT

from services.aggregator.batch import buffered, flush, latest_records
from services.aggregator.entry import follow, merge, route
from services.aggregator.gauges import CasualtyGauges
from services.aggregator.openapi import OPENAPI
from services.aggregator.query import QueryError, list_incidents, list_tolls, totals
from services.aggregator.view import IncidentView
from services.aggregator.web.routes import install_view
from services.aggregator.writes import AggregatorState
from shared import logs, tansu, topics
from shared.records import BadRecord, FigureEvent, IncidentRecord
from shared.settings import Settings, load_settings
from shared.worker import Output, StageRuntime, make_current, run_worker

log = logging.getLogger(__name__)


# Figure events folded per batch: each table key the batch touches is written once (batch.py).
# At most this many: a batch is acked only once all of it is written, and redone whole after a kill.
MERGE_BATCH_MAX = 200
# How long a batch waits to fill: a tenth of a second added to an incident's latency at most.
MERGE_BATCH_WITHIN_S = 0.1
Fold = Callable[[EventT], None]
Finish = Callable[[], Sequence[Output]]


def by_partition(events: Sequence[EventT]) -> list[list[EventT]]:
    """The events grouped by partition, in order: each partition's tables are its own."""
    groups: dict[int, list[EventT]] = {}
    for event in events:
        groups.setdefault(event.message.partition, []).append(event)
    return list(groups.values())


def _table(app: faust.App, name: str, partitions: int) -> Any:
    return app.Table(name, default=None, partitions=partitions)


def build(settings: Settings) -> StageRuntime:
    """The aggregator's app: agents, tables, the view and the HTTP API."""
    runtime = StageRuntime("aggregator", settings)
    app = runtime.app
    figures_out = runtime.topic(topics.AGGREGATOR_FIGURES, FigureEvent)
    incidents_out = runtime.topic(topics.INCIDENTS, IncidentRecord)
    parts = settings.flow_partitions
    state = AggregatorState(
        figures=_table(app, "figures", parts),
        blocks=_table(app, "blocks", parts),
        incidents=_table(app, "incidents", parts),
        tolls=_table(app, "tolls", parts),
    )
    view = IncidentView()
    runtime.registry.register(CasualtyGauges(view))

    def route_message(value: bytes) -> Sequence[Output]:
        return [Output(figures_out, e.block, e) for e in route(value, today=logs.utc_today())]

    def merge_batch(events: Sequence[EventT]) -> tuple[Fold, Finish]:
        """Fold one partition's figure events over buffered tables; write and publish once at the end."""
        pending = buffered(state)
        changed: list[IncidentRecord] = []

        def fold(event: EventT) -> None:
            # Table reads and writes go to the partition of the event faust thinks is current.
            make_current(event)
            value = event.message.value or b""
            changed.extend(merge(value, pending, window_days=settings.incident_window_days, now=logs.now()))

        def finish() -> Sequence[Output]:
            make_current(events[-1])
            flush(pending)
            sent_at = logs.now()  # the documents leave now, after the whole batch is written
            return [
                Output(incidents_out, r.id, r.derive(updated_at=sent_at)) for r in latest_records(changed)
            ]

        return fold, finish

    runtime.input_agent("route", route_message)

    @app.agent(runtime.raw_topic(topics.AGGREGATOR_FIGURES), name="merge")
    async def merge_agent(agent_stream: StreamT) -> None:
        # An agent is handed a faust Stream, whose batch API the StreamT interface lacks.
        stream = cast(Stream, agent_stream)
        async for events in stream.take_events(MERGE_BATCH_MAX, within=MERGE_BATCH_WITHIN_S):
            for group in by_partition(events):
                await runtime.handle_batch(group, *merge_batch(group))

    @app.task
    async def follow_incidents() -> None:
        await _follow(settings, view, runtime)

    _install_api(app, view)
    install_view(app, view)  # the analyst's pages and exports, over the same view
    return runtime


async def _follow(settings: Settings, view: IncidentView, runtime: StageRuntime) -> None:
    """Read every partition of ``casualties.incidents`` from the start, forever, into ``view``."""
    applied = runtime.metrics.consumed.labels(topics.INCIDENTS)
    while True:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_broker,
            group_id=None,
            enable_auto_commit=False,
            fetch_max_wait_ms=tansu.TANSU_FETCH_MAX_WAIT_MS if settings.on_tansu else 500,
        )
        try:
            await consumer.start()
            partitions = consumer.partitions_for_topic(topics.INCIDENTS) or set()
            assignment = [TopicPartition(topics.INCIDENTS, p) for p in sorted(partitions)]
            consumer.assign(assignment)
            await consumer.seek_to_beginning(*assignment)
            while True:
                batches = await consumer.getmany(timeout_ms=1000)
                for records in batches.values():
                    for record in records:
                        try:
                            follow(record.value, view)
                        except BadRecord as exc:
                            # A record no aggregator wrote: skip it, never restart the view over it.
                            log.warning(
                                "incident record skipped",
                                extra={"reason": exc.reason, "offset": record.offset},
                            )
                        applied.inc()
        except (KafkaError, OSError, ValueError) as exc:
            log.warning("incident view lost the broker; retrying", extra={"error": repr(exc)})
            await asyncio.sleep(1.0)
        finally:
            await consumer.stop()


def _params(request: faust.web.Request) -> Mapping[str, str]:
    return {k: v for k, v in request.query.items()}


def _install_api(app: faust.App, view: IncidentView) -> None:
    """Read-only JSON API over the view; bad parameters are 400 with a message."""

    def answer(web: faust.web.View, build_body: Any) -> faust.web.Response:
        try:
            return web.json(build_body())
        except QueryError as exc:
            return web.json({"error": str(exc)}, status=400)

    @app.page("/incidents")
    async def incidents_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return answer(web, lambda: list_incidents(view.incidents.values(), _params(request)))

    @app.page("/incidents/{incident_id}")
    async def incident_page(
        web: faust.web.View, request: faust.web.Request, incident_id: str
    ) -> faust.web.Response:
        doc = view.incidents.get(incident_id)
        if doc is None:
            return web.json({"error": f"no incident {incident_id[:80]!r}"}, status=404)
        return web.json(doc)

    @app.page("/totals")
    async def totals_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return answer(web, lambda: totals(view.incidents.values(), _params(request)))

    @app.page("/tolls")
    async def tolls_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return answer(web, lambda: list_tolls(view.tolls.values(), _params(request)))

    @app.page("/openapi.json")
    async def openapi_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return web.json(OPENAPI)


def main() -> None:
    """Run an aggregator worker with settings from the environment."""
    run_worker(build(load_settings()))
