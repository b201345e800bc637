"""Metrics cardinality: 10,000 distinct sites, places and URLs never become 10,000 series.

Messages go through each stage's real per-message path (``StageRuntime.handle``
with the stage's entry function, fakes standing in for Kafka topics), the
aggregator's casualty gauges read the incidents built, and the fetcher's
per-source gauge sees 10,000 source names. The number of exported series must
stop growing after the first thousand articles and stay under a fixed bound,
and no label value may come from article content or URLs.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from prometheus_client import CollectorRegistry

from services.aggregator import entry as aggregator
from services.aggregator.gauges import CasualtyGauges
from services.aggregator.view import IncidentView
from services.extractor import entry as extractor
from services.fetcher.metrics import fetcher_metrics
from services.parser import entry as parser
from shared import codec, topics
from shared.records import ExtractedArticle, WireRecord
from shared.settings import load_settings
from shared.worker import Output, StageRuntime

ARTICLES = 10_000
WARM = 1_000  # by then every label combination the test can reach has been seen
# Measured: 500 (fetcher 294 with its 200 source labels and "other", aggregator 146, parser 32,
# extractor 28). The bound leaves room for a few new fixed-set metrics, not for one series per article.
MAX_SERIES = 600
COUNTRIES = ["SY", "PS", "IQ", "YE", "SD", "UA", "LB", "LY", "SO", "AF"]
# Country values no gazetteer writes: they must not become label values either.
HOSTILE_COUNTRIES = ["sy", "Syria", "S1", "site-1.example", "\u202eYS"]
KINDS = ["killed", "injured", "captured", "missing"]
VICTIMS = ["people", "civilians", "children", "women", "combatants"]
LABEL_VALUE = re.compile(r"[A-Za-z0-9_.+-]{1,40}")
PARSED_OK = 20  # one raw message in this many is a real article; the rest are rejects with unique bodies


class FakeTopic:
    """Stands in for a faust topic: counts what is sent."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[Any] = []

    async def send(self, key: Any = None, value: Any = None) -> None:
        self.sent.append(value)

    def get_topic_name(self) -> str:
        return self.name


def runtime(stage: str, tmp: Path) -> StageRuntime:
    rt = StageRuntime(stage, load_settings({"WIRECOUNT_DATA_DIR": str(tmp)}), registry=CollectorRegistry())
    rt.deadletter_topic = FakeTopic("dead")  # type: ignore[assignment]
    return rt


def event(topic: str, value: bytes, offset: int) -> Any:
    message = SimpleNamespace(topic=topic, value=value, key=b"k", partition=0, offset=offset)
    return SimpleNamespace(message=message)


def site(i: int) -> str:
    return f"site-{i}.example"


def url(i: int) -> str:
    return f"https://{site(i)}/2026/11/{i}/report?utm_source=feed{i}"


def place(i: int) -> str:
    return f"Kafr Place {i}"


def raw_message(i: int) -> bytes:
    if i % PARSED_OK == 0:
        text = f"An air strike killed {i % 90 + 2} civilians in {place(i)} on Monday, officials said. " * 3
        return orjson.dumps({"article_id": f"a{i}", "url": url(i), "text": text, "lang": "en"})
    bad = [b"not json " + url(i).encode(), orjson.dumps({"article_id": url(i), "text": i})]
    return bad[i % 2]


def extracted_message(i: int) -> bytes:
    country = HOSTILE_COUNTRIES[i % 5] if i % 13 == 0 else COUNTRIES[i % len(COUNTRIES)]
    victims = VICTIMS[i % 5] if i % 11 else f"victims of {place(i)}"
    figure = {
        "kind": KINDS[i % 4],
        "count": i % 50 + 1,
        "qualifier": "exact",
        "victims": victims,
        "location": place(i),
        "location_id": 10_000_000 + i,
        "country": country,
        "lat": 30.0,
        "lon": 40.0,
        "actor": f"actor of {site(i)}",
        "scope": "cumulative" if i % 7 == 0 else "incident",
        "subset_of": None,
        "evidence": f"killed {i} in {place(i)}",
        "start": 0,
        "end": 10,
    }
    article = ExtractedArticle(
        article_id=f"a{i}",
        url=url(i),
        site=site(i),
        title=f"Report {i}",
        lang="en",
        published=f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}T09:00:00Z",
        content_hash=f"h{i}",
        casualties=[figure],
        places=[{"name": place(i), "geonameid": 10_000_000 + i, "admin1": "01", "feature": "village"}],
        entered_at=100.0,
    )
    return codec.dumps(article)


StageFn = Callable[[bytes], Sequence[Output]]


def outputs(topic: FakeTopic, records: Sequence[WireRecord], key: str) -> list[Output]:
    return [Output(topic, getattr(r, key), r) for r in records]  # type: ignore[arg-type]


class Pipeline:
    """The three consuming stages on fresh registries, wired with fake topics."""

    def __init__(self, tmp: Path) -> None:
        self.parser, self.extractor, self.aggregator = (runtime(s, tmp) for s in STAGES)
        self.view = IncidentView()
        self.aggregator.registry.register(CasualtyGauges(self.view))
        self.fetcher_registry = CollectorRegistry()
        self.fetcher = fetcher_metrics(self.fetcher_registry)
        self.state = aggregator.memory_state()
        self.parsed, self.extracted = FakeTopic(topics.PARSED), FakeTopic(topics.EXTRACTED)
        self.figures, self.incidents = FakeTopic(topics.AGGREGATOR_FIGURES), FakeTopic(topics.INCIDENTS)

    def parse(self, value: bytes) -> list[Output]:
        records = parser.process(value, max_html_bytes=1 << 20, min_text_chars=80, now=1.8e9)
        return outputs(self.parsed, records, "article_id")

    def extract(self, value: bytes) -> list[Output]:
        return outputs(self.extracted, extractor.process(value, None, now=1.8e9), "article_id")

    def route(self, value: bytes) -> list[Output]:
        return outputs(self.figures, aggregator.route(value, today="2026-11-26"), "block")

    def merge(self, value: bytes) -> list[Output]:
        records = aggregator.merge(value, self.state, window_days=3, now=1.8e9)
        for record in records:
            self.view.apply(orjson.loads(codec.dumps(record)))
        return outputs(self.incidents, records, "id")

    async def feed(self, start: int, stop: int) -> None:
        for i in range(start, stop):
            await self.parser.handle(event(topics.RAW, raw_message(i), i), self.parse)
            await self.aggregator.handle(event(topics.EXTRACTED, extracted_message(i), i), self.route)
            self.fetcher.source_last_success.labels(self.fetcher.source_label(f"source-{site(i)}")).set(i)
        await self._drain(self.parsed, self.extractor, topics.PARSED, self.extract)
        await self._drain(self.figures, self.aggregator, topics.AGGREGATOR_FIGURES, self.merge)

    async def _drain(self, topic: FakeTopic, rt: StageRuntime, name: str, fn: StageFn) -> None:
        pending, topic.sent = topic.sent, []
        for n, record in enumerate(pending):
            value = codec.dumps(record)
            await rt.handle(event(name, value, n), fn)
            # Hostile twins with unique content: rejected, and counted by reason only.
            await rt.handle(event(name, value[: 40 + n % 60], n), fn)

    def registries(self) -> list[CollectorRegistry]:
        return [
            self.parser.registry,
            self.extractor.registry,
            self.aggregator.registry,
            self.fetcher_registry,
        ]


STAGES = ("parser", "extractor", "aggregator")


def series(registries: list[CollectorRegistry]) -> list[dict[str, str]]:
    """The label sets of every exported sample."""
    return [dict(s.labels) for r in registries for m in r.collect() for s in m.samples]


@pytest.fixture(scope="module")
def fed(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[dict[str, str]], Pipeline]:
    pipeline = Pipeline(tmp_path_factory.mktemp("cardinality"))
    asyncio.run(pipeline.feed(0, WARM))
    warm = len(series(pipeline.registries()))
    asyncio.run(pipeline.feed(WARM, ARTICLES))
    return warm, series(pipeline.registries()), pipeline


def test_the_articles_went_through_every_stage(fed: tuple[int, list[dict[str, str]], Pipeline]) -> None:
    _, _, pipeline = fed
    assert len(pipeline.view.incidents) > ARTICLES // 2 and pipeline.view.tolls
    assert len(pipeline.extractor.deadletter_topic.sent) > 0  # type: ignore[union-attr]


def test_series_stop_growing_and_stay_under_the_bound(
    fed: tuple[int, list[dict[str, str]], Pipeline],
) -> None:
    warm, final, _ = fed
    assert len(final) == warm, "new series appeared after the first thousand articles"
    assert len(final) <= MAX_SERIES


def test_no_label_value_comes_from_content_or_urls(fed: tuple[int, list[dict[str, str]], Pipeline]) -> None:
    _, final, _ = fed
    values = {v for labels in final for k, v in labels.items() if k != "source"}
    assert all(LABEL_VALUE.fullmatch(v) for v in values), sorted(values)
    assert not [v for v in values if "example" in v or "Place" in v or "http" in v]
    countries = {labels["country"] for labels in final if "country" in labels}
    assert countries <= {*COUNTRIES, "XX"}
    victims = {labels["victims"] for labels in final if "victims" in labels}
    assert victims <= set(VICTIMS)


def test_source_labels_are_capped(fed: tuple[int, list[dict[str, str]], Pipeline]) -> None:
    _, final, _ = fed
    sources = {labels["source"] for labels in final if "source" in labels}
    assert len(sources) <= 201 and "other" in sources
