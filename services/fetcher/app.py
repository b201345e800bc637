"""Fetcher worker: polls the sources it owns and publishes new pages to ``articles.raw``.

Sources arrive on the compacted ``fetch.sources`` topic, keyed by name; a replica
polls the sources of the partitions assigned to it, so a second replica takes half
of them. ``WIRECOUNT_SOURCES_FILE`` (YAML) is published there at start.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import aiohttp
import yaml
from faust.types import StreamT

from services.fetcher.logic import (
    Source,
    feed_entries,
    parse_sources,
    raw_from_html_bytes,
    source_from_json,
    source_to_json,
)
from shared import logs, topics
from shared.records import RawArticle
from shared.settings import Settings, load_settings
from shared.worker import StageRuntime, run_worker

log = logging.getLogger(__name__)

# Whole-request limit: a slow host must not hold a poll forever.
REQUEST_TIMEOUT_S = 20.0
# How often the worker looks for sources that are due.
TICK_S = 2.0


def load_sources(path: Path | None) -> list[Source]:
    """The sources in the configured YAML file, or none."""
    if path is None:
        return []
    return parse_sources(yaml.safe_load(path.read_text(encoding="utf-8")))


def build(settings: Settings) -> StageRuntime:
    """The fetcher's app: an agent that takes source definitions, a timer that polls them."""
    runtime = StageRuntime("fetcher", settings)
    app = runtime.app
    raw_topic = runtime.topic(topics.RAW, RawArticle)
    sources_out = app.topic(topics.FETCH_SOURCES, key_serializer="raw", value_serializer="raw")
    owned: dict[str, Source] = {}
    due: dict[str, float] = {}
    seen: set[str] = set()

    def take_source(value: bytes) -> list[object]:
        source = source_from_json(value)
        owned[source.name] = source
        due.setdefault(source.name, 0.0)
        return []

    assert runtime.input_topic is not None

    @app.agent(runtime.input_topic, name="sources")
    async def sources(stream: StreamT) -> None:
        async for event in stream.events():
            await runtime.handle(event, take_source)  # type: ignore[arg-type]

    @app.task
    async def publish_configured_sources() -> None:
        for source in load_sources(settings.sources_file):
            await sources_out.send(key=source.name.encode(), value=source_to_json(source))

    async def poll(http: aiohttp.ClientSession, source: Source) -> None:
        async with http.get(source.url) as response:
            body = await response.read()
        for entry in feed_entries(body):
            if entry.link in seen:
                continue
            async with http.get(entry.link) as page:
                html = await page.read()
                article = raw_from_html_bytes(
                    html,
                    url=entry.link,
                    entered_at=logs.now(),
                    title=entry.title,
                    published=entry.published,
                    lang=source.lang,
                    source=source.name,
                    http_status=page.status,
                    charset=page.charset,
                    content_type=page.content_type,
                    fetched_at=logs.now(),
                )
            await raw_topic.send(key=article.article_id, value=article)
            runtime.metrics.produced.labels(topics.RAW).inc()
            seen.add(entry.link)

    @app.timer(TICK_S)
    async def poll_due_sources() -> None:
        now = time.monotonic()
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
        headers = {"User-Agent": settings.user_agent}
        for name, source in list(owned.items()):
            if due.get(name, 0.0) > now:
                continue
            due[name] = now + source.interval_s
            try:
                async with aiohttp.ClientSession(timeout=timeout, headers=headers) as http:
                    await poll(http, source)
            except (aiohttp.ClientError, TimeoutError) as exc:
                runtime.metrics.failures.labels("fetch_error").inc()
                log.warning("feed poll failed", extra={"source": name, "error": repr(exc)})

    return runtime


def main() -> None:
    """Run a fetcher worker with settings from the environment."""
    run_worker(build(load_settings()))
