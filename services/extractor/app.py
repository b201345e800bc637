"""Extractor worker: ``articles.parsed`` -> ``articles.extracted`` (faust wiring only)."""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.entry import process
from services.extractor.logic import load_entities
from shared import logs, topics
from shared.records import ExtractedArticle
from shared.settings import Settings, load_settings
from shared.worker import Output, StageRuntime, run_worker


def build(settings: Settings) -> StageRuntime:
    """The extractor's app: one agent from parsed to extracted articles."""
    runtime = StageRuntime("extractor", settings, offload=True, tables=False)
    extracted_topic = runtime.topic(topics.EXTRACTED, ExtractedArticle)
    # The gazetteer index is built once and cached on disk; loading it here, not
    # per message, is what keeps the per-article cost to matching alone.
    entities = load_entities(settings.cache_dir)

    def extract_message(value: bytes) -> Sequence[Output]:
        return [Output(extracted_topic, e.article_id, e) for e in process(value, entities, now=logs.now())]

    runtime.input_agent("extract", extract_message)
    return runtime


def main() -> None:
    """Run an extractor worker with settings from the environment."""
    run_worker(build(load_settings()))
