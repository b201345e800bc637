"""Parser worker: ``articles.raw`` -> ``articles.parsed`` (faust wiring only)."""

from __future__ import annotations

from collections.abc import Sequence

from services.parser.entry import process
from shared import logs, topics
from shared.records import ParsedArticle
from shared.settings import Settings, load_settings
from shared.worker import Output, StageRuntime, run_worker


def build(settings: Settings) -> StageRuntime:
    """The parser's app: one agent from raw to parsed articles."""
    runtime = StageRuntime("parser", settings, offload=True, tables=False)
    parsed_topic = runtime.topic(topics.PARSED, ParsedArticle)

    def parse_message(value: bytes) -> Sequence[Output]:
        parsed = process(
            value,
            max_html_bytes=settings.max_html_bytes,
            min_text_chars=settings.min_text_chars,
            now=logs.now(),
        )
        return [Output(parsed_topic, p.article_id, p) for p in parsed]

    runtime.input_agent("parse", parse_message)
    return runtime


def main() -> None:
    """Run a parser worker with settings from the environment."""
    run_worker(build(load_settings()))
