"""``python -m services.fetcher fetch URL...`` and ``sources FILE``: one-shot fetching and source edits.

``fetch`` uses the worker's client (robots.txt, politeness, limits, address
guard) and publishes each page it got to ``articles.raw``. ``sources`` publishes
a YAML file's sources to ``fetch.sources`` (or deletes some), which the running
fetchers pick up at once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from aiokafka import AIOKafkaProducer

from services.fetcher.crawl import FetchedArticle, Found, fetch_article
from services.fetcher.http import FetchConfig, Fetcher, FetchResult
from services.fetcher.publish import send_articles
from services.fetcher.sources import LANG_HINTS, load_sources, source_to_json
from services.fetcher.urls import UrlError, canonical_url
from shared import logs, topics
from shared.settings import Settings, load_settings


async def fetch_urls(
    urls: list[str], config: FetchConfig, *, source: str = "cli", lang: str | None = None
) -> list[tuple[str, FetchedArticle | None, FetchResult | None, str]]:
    """Fetch each URL: (url, article or None, result or None, error text) in the order given."""
    out: list[tuple[str, FetchedArticle | None, FetchResult | None, str]] = []
    async with Fetcher(config) as fetcher:
        for url in urls:
            try:
                found = Found(source, url, canonical_url(url), lang=lang)
            except UrlError as exc:
                out.append((url, None, None, str(exc)))
                continue
            article, result = await fetch_article(fetcher, found, now=logs.now())
            error = "" if article else f"{result.outcome} {result.status or ''} {result.detail}".strip()
            out.append((url, article, result, error))
    return out


def _require_broker(settings: Settings) -> str:
    if not settings.kafka_broker:
        raise SystemExit(
            "KAFKA_BROKER is not set: start the pipeline with `make run` or point it at a broker"
        )
    return settings.kafka_broker


def fetch_main(argv: list[str]) -> int:
    """``fetch URL...``: fetch pages and publish them; exit 1 when any failed."""
    parser = argparse.ArgumentParser(
        prog="python -m services.fetcher fetch", description="Fetch pages into articles.raw."
    )
    parser.add_argument("urls", nargs="+", help="article URLs (http or https)")
    parser.add_argument("--lang", choices=sorted(LANG_HINTS), help="language hint for the parser")
    parser.add_argument("--source", default="cli", help="source name to record (default: cli)")
    args = parser.parse_args(argv)
    settings = load_settings()
    bootstrap = _require_broker(settings)
    results = asyncio.run(
        fetch_urls(args.urls, FetchConfig.from_settings(settings), source=args.source, lang=args.lang)
    )
    articles = [a for _, a, _, _ in results if a is not None]
    for url, article, _, error in results:
        print(
            f"{'ok' if article else 'error'}: {url}{'' if article else ' (' + error + ')'}", file=sys.stderr
        )
    if articles:
        asyncio.run(send_articles(bootstrap, list(articles), settings))
    print(f"published {len(articles)} of {len(results)} page(s) to {topics.RAW}")
    return 0 if len(articles) == len(results) else 1


async def _send_sources(
    bootstrap: str, messages: list[tuple[bytes, bytes | None]], settings: Settings
) -> None:
    options = {"max_batch_size": 1} if settings.on_tansu else {}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", **options)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(topics.FETCH_SOURCES, key=key, value=value)
    finally:
        await producer.stop()


def sources_main(argv: list[str]) -> int:
    """``sources [FILE] [--delete NAME...]``: add or replace sources from a YAML file, or delete some."""
    parser = argparse.ArgumentParser(
        prog="python -m services.fetcher sources", description="Edit fetch.sources."
    )
    parser.add_argument("file", nargs="?", type=Path, help="YAML file with a 'sources' list")
    parser.add_argument("--delete", nargs="+", default=[], metavar="NAME", help="source names to remove")
    args = parser.parse_args(argv)
    settings = load_settings()
    bootstrap = _require_broker(settings)
    sources = load_sources(args.file, settings.fetch_min_interval_s) if args.file else []
    messages: list[tuple[bytes, bytes | None]] = [(s.name.encode(), source_to_json(s)) for s in sources]
    messages += [(name.encode(), None) for name in args.delete]
    asyncio.run(_send_sources(bootstrap, messages, settings))
    print(f"sent {len(sources)} source(s) and {len(args.delete)} deletion(s) to {topics.FETCH_SOURCES}")
    return 0
