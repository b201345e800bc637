"""``python -m services.fetcher publish PATH...``: send HTML files or JSON Lines records to articles.raw."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaProducer
from tqdm import tqdm

from services.fetcher.logic import InputError, expand_paths, load_file
from shared import logs, topics
from shared.records import RawArticle
from shared.settings import Settings, load_settings

# Kafka's default message.max.bytes and the producer's max_request_size are 1 MiB;
# a larger record would fail the whole batch, so it is refused here, by name.
MAX_RECORD_BYTES = 1_000_000


@dataclass
class PublishReport:
    """What a publish run did."""

    published: int = 0
    files: int = 0
    errors: list[InputError] = field(default_factory=list)


async def send_articles(bootstrap: str, articles: list[RawArticle], settings: Settings) -> None:
    """Publish raw articles to ``articles.raw``, keyed by article id."""
    options = {"max_batch_size": 1} if settings.on_tansu else {}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", **options)
    await producer.start()
    try:
        futures = [
            await producer.send(topics.RAW, key=a.article_id.encode(), value=a.dumps()) for a in articles
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


def collect(paths: list[Path], *, progress: bool = True) -> tuple[list[RawArticle], PublishReport]:
    """Read every input, keeping good articles and reporting each bad one."""
    report = PublishReport()
    articles: list[RawArticle] = []
    files = expand_paths(paths)
    report.files = len(files)
    for path in tqdm(files, desc="reading", unit="file", disable=not progress, file=sys.stderr):
        for loaded in load_file(path, entered_at=logs.now()):
            size = len(loaded.article.dumps()) if loaded.article is not None else 0
            if size > MAX_RECORD_BYTES:
                reason = f"record is {size} bytes, over the {MAX_RECORD_BYTES}-byte message limit"
                report.errors.append(InputError(loaded.where, reason))
            elif loaded.article is not None:
                articles.append(loaded.article)
            elif loaded.error is not None:
                report.errors.append(loaded.error)
    return articles, report


def publish(paths: list[Path], settings: Settings, *, progress: bool = True) -> PublishReport:
    """Read ``paths`` and publish what is valid; the report lists what was not."""
    if not settings.kafka_broker:
        raise SystemExit(
            "KAFKA_BROKER is not set: start the pipeline with `make run` or point it at a broker"
        )
    articles, report = collect(paths, progress=progress)
    if articles:
        asyncio.run(send_articles(settings.kafka_broker, articles, settings))
    report.published = len(articles)
    return report


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m services.fetcher publish", description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path, help="HTML files, JSON Lines files, or directories")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    report = publish(args.paths, load_settings(), progress=not args.quiet)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        f"published {report.published} article(s) from {report.files} file(s) to {topics.RAW}; "
        f"{len(report.errors)} error(s)"
    )
    return 1 if report.errors else 0
