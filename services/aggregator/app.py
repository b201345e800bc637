"""Aggregator worker: ``articles.extracted`` -> totals per (place, kind), served over HTTP.

Two agents: ``route`` splits articles into figures re-keyed by total, so that
``total`` updates each total (and remembers each figure) within one partition.
"""

from __future__ import annotations

from collections.abc import Sequence

import faust
from faust.types import StreamT

from services.aggregator.logic import apply_figure, figure_events, totals_view
from shared import topics
from shared.records import ExtractedArticle, FigureEvent, decode
from shared.settings import Settings, load_settings
from shared.worker import Output, StageRuntime, run_worker


def build(settings: Settings) -> StageRuntime:
    """The aggregator's app: routing agent, totalling agent, tables and views."""
    runtime = StageRuntime("aggregator", settings)
    app = runtime.app
    figures_topic = runtime.topic(topics.AGGREGATOR_FIGURES, FigureEvent)
    figures_in = runtime.raw_topic(topics.AGGREGATOR_FIGURES)
    # figure id -> what it added; makes redelivery a no-op.
    applied = app.Table("figures-applied", default=None, partitions=settings.flow_partitions)
    totals = app.Table("totals", default=None, partitions=settings.flow_partitions)

    def route_message(value: bytes) -> Sequence[Output]:
        article = decode(ExtractedArticle, value)
        return [Output(figures_topic, e.total_key, e) for e in figure_events(article)]

    def total_message(value: bytes) -> Sequence[Output]:
        event = decode(FigureEvent, value)
        update = apply_figure(totals.get(event.total_key), applied.get(event.figure_id), event)
        totals[event.total_key] = update.total
        applied[event.figure_id] = update.applied
        return []

    assert runtime.input_topic is not None

    @app.agent(runtime.input_topic, name="route")
    async def route(stream: StreamT) -> None:
        async for event in stream.events():
            await runtime.handle(event, route_message)

    @app.agent(figures_in, name="total")
    async def total(stream: StreamT) -> None:
        async for event in stream.events():
            await runtime.handle(event, total_message)

    @app.page("/totals")
    async def totals_page(web: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return web.json(totals_view([v for _, v in totals.items() if v]))

    return runtime


def main() -> None:
    """Run an aggregator worker with settings from the environment."""
    run_worker(build(load_settings()))
