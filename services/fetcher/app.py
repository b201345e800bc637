"""Fetcher worker: faust wiring of sources, polls and page fetches (the work itself is in ``crawl``).

- ``sources`` agent: ``fetch.sources`` (compacted, keyed by name) into the
  ``fetcher-sources`` table. A replica polls the sources of the partitions it is
  assigned; on a rebalance the table moves with them, so each source has one owner.
- poll timer: polls owned sources when due (conditional requests) and sends each
  entry to ``fetch.found`` keyed by its canonical URL.
- ``pages`` agent: ``fetch.found`` -> ``articles.raw``, once per canonical URL: the
  ``fetcher-seen`` table lives in the URL's partition, so whichever feeds list an
  article and however many replicas run, one replica decides, once.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence
from typing import Any

from faust.types import StreamT

from services.fetcher.crawl import (
    FetchedArticle,
    Found,
    PollReport,
    fetch_article,
    found_from_json,
    found_to_json,
    seen_entry,
    skip_reason,
)
from services.fetcher.http import FetchConfig, Fetcher
from services.fetcher.metrics import POLL_OUTCOMES, FetcherMetrics, fetcher_metrics
from services.fetcher.poller import Poller
from services.fetcher.sources import Source, load_sources, parse_source, source_from_json, source_to_json
from shared import logs, topics
from shared.settings import Settings, load_settings
from shared.worker import Output, StageRuntime, run_worker

log = logging.getLogger(__name__)

# How often the worker looks for sources that are due (sources poll every >= 10 s).
TICK_S = 0.5


def report_poll(metrics: FetcherMetrics, source: Source, report: PollReport) -> None:
    """Count and log one poll of ``source``."""
    metrics.polls.labels(report.outcome if report.outcome in POLL_OUTCOMES else "decode_error").inc()
    if report.outcome not in ("ok", "not_modified"):
        extra = {"source": source.name, "url": source.url, "outcome": report.outcome, "detail": report.detail}
        log.warning("source poll failed", extra=extra)
        return
    metrics.source_last_success.labels(metrics.source_label(source.name)).set(time.time())
    metrics.entries.labels("found").inc(len(report.found))
    log.info(
        "source polled",
        extra={"source": source.name, "outcome": report.outcome, "entries": len(report.found)},
    )


def build(settings: Settings) -> StageRuntime:
    """The fetcher's app: sources agent, poll timer, pages agent, their tables and metrics."""
    runtime = StageRuntime("fetcher", settings)
    app = runtime.app
    metrics = fetcher_metrics(runtime.registry)
    raw_topic = runtime.topic(topics.RAW, FetchedArticle)
    found_topic = runtime.raw_topic(topics.FETCH_FOUND)
    sources_out = runtime.raw_topic(topics.FETCH_SOURCES)
    # source name -> {"source": {...}, "partition": p}: which replica polls what.
    sources_table = app.Table("fetcher-sources", default=None, partitions=settings.flow_partitions)
    # canonical URL -> {"outcome", "final", "tries", "source", "at"}: fetched once, ever.
    seen = app.Table("fetcher-seen", default=None, partitions=settings.flow_partitions)
    fetcher = Fetcher(FetchConfig.from_settings(settings), observer=metrics)
    in_flight: set[str] = set()

    async def send_found(found: Found) -> None:
        await found_topic.send(key=found.canonical_url.encode(), value=found_to_json(found))
        runtime.metrics.produced.labels(topics.FETCH_FOUND).inc()

    poller = Poller(fetcher, send_found, lambda source, report: report_poll(metrics, source, report))

    def take_source(value: bytes, partition: int) -> list[Output]:
        source = source_from_json(value, min_interval_s=settings.fetch_min_interval_s)
        sources_table[source.name] = {"source": _source_dict(source), "partition": partition}
        log.info(
            "source configured", extra={"source": source.name, "url": source.url, "partition": partition}
        )
        return []

    def delete_source(name: str, tombstone: bytes) -> list[Output]:
        sources_table.pop(name, None)
        log.info("source deleted", extra={"source": name})
        return []

    assert runtime.input_topic is not None

    @app.agent(runtime.input_topic, name="sources")
    async def sources(stream: StreamT) -> None:
        async for event in stream.events():
            key, value = event.message.key, event.message.value
            if value is None and isinstance(key, bytes):  # tombstone: the source is deleted
                name = key.decode("utf-8", "replace")
                await runtime.handle(event, functools.partial(delete_source, name))
            else:
                take = functools.partial(take_source, partition=event.message.partition)
                await runtime.handle(event, take)

    def owned_sources() -> list[Source]:
        assigned = {tp.partition for tp in app.consumer.assignment() if tp.topic == topics.FETCH_SOURCES}
        owned = []
        for value in list(sources_table.values()):
            if not isinstance(value, dict) or value.get("partition") not in assigned:
                continue
            try:
                owned.append(parse_source(value["source"], min_interval_s=settings.fetch_min_interval_s))
            except (ValueError, KeyError, TypeError) as exc:  # written by another version: skip it, say so
                log.warning(
                    "unreadable source in table", extra={"value": str(value)[:200], "error": str(exc)}
                )
        return owned

    @app.timer(TICK_S)
    async def poll_due_sources() -> None:
        if app.rebalancing:
            return  # ownership is moving: the next tick knows who polls what
        owned = owned_sources()
        metrics.sources_owned.set(len(owned))
        poller.tick(owned)

    async def fetch_page(value: bytes) -> Sequence[Output]:
        """Fetch one found entry's page, unless it was fetched or is being fetched; publish what came.

        It sends the article itself, before the seen entry is written: a URL is only
        ever recorded as fetched after its page was handed to the producer.
        """
        found = found_from_json(value)
        key = found.canonical_url
        prior = seen.get(key)
        skip = skip_reason(prior, key in in_flight)
        if skip:
            metrics.entries.labels(skip).inc()
            return []
        in_flight.add(key)
        try:
            article, result = await fetch_article(fetcher, found, now=logs.now())
            if article is not None:
                await runtime.send([Output(raw_topic, article.article_id, article)])
                metrics.entries.labels("published").inc()
            else:
                metrics.entries.labels("failed").inc()
                extra = {
                    "url": found.url,
                    "source": found.source,
                    "outcome": result.outcome,
                    "detail": result.detail,
                }
                log.warning("page fetch failed", extra=extra)
            # Written while handling this event, so it lands in the URL's partition.
            seen[key] = seen_entry(result, prior, found.source, logs.now())
        finally:
            in_flight.discard(key)
        return []

    @app.agent(found_topic, name="pages", concurrency=max(1, settings.fetch_concurrency))
    async def pages(stream: StreamT) -> None:
        async for event in stream.events():
            await runtime.handle_async(event, fetch_page)

    @app.task
    async def publish_configured_sources() -> None:
        for source in load_sources(settings.sources_file, settings.fetch_min_interval_s):
            metrics.source_label(source.name)  # configured names get their labels first
            await sources_out.send(key=source.name.encode(), value=source_to_json(source))

    @app.on_before_shutdown.connect  # type: ignore[arg-type]  # mode types async receivers too narrowly
    async def close_http(app: Any, *args: Any, signal: Any, **kwargs: Any) -> None:
        await fetcher.close()

    return runtime


def _source_dict(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "lang": source.lang,
        "interval_s": source.interval_s,
        "kind": source.kind,
    }


def main() -> None:
    """Run a fetcher worker with settings from the environment."""
    run_worker(build(load_settings()))
