"""End to end: the four workers as real processes over the embedded broker."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from shared import topics
from shared.records import DeadLetter, ParsedArticle, RawArticle, decode
from shared.supervisor import Pipeline
from tests.conftest import EXAMPLES, consume_all, produce
from tests.pipelines import own_pipeline, publish_to

pytestmark = pytest.mark.integration

EXAMPLE_COUNT = 5  # four HTML pages and one JSON Lines record under examples/


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    """Broker and four workers, with the examples published and fully processed."""
    with own_pipeline(tmp_path_factory.mktemp("pipeline")) as running:
        report = publish_to(running, [EXAMPLES])
        assert report.errors == []
        assert report.published == EXAMPLE_COUNT
        running.wait_idle(EXAMPLE_COUNT, timeout_s=120)
        yield running


def test_every_example_reaches_the_aggregator(pipeline: Pipeline) -> None:
    extracted = consume_all(pipeline.bootstrap, topics.EXTRACTED, EXAMPLE_COUNT)
    records = [orjson.loads(v) for v in extracted]
    assert len(records) == EXAMPLE_COUNT
    assert {r["lang"] for r in records} == {"ar", "en"}
    assert all(r["casualties"] for r in records), "every example states casualty figures"
    for record in records:
        assert record["entered_at"] > 0
        assert record["extracted_at"] >= record["entered_at"]


def test_parsed_offsets_survive_the_wire(pipeline: Pipeline) -> None:
    parsed = [decode(ParsedArticle, v) for v in consume_all(pipeline.bootstrap, topics.PARSED, EXAMPLE_COUNT)]
    assert len(parsed) == EXAMPLE_COUNT
    for article in parsed:
        assert article.sentences, article.url
        for start, end in article.sentences:
            assert 0 <= start < end <= len(article.text)
        assert "Read also" not in article.text and "اقرأ أيضاً" not in article.text


def test_incidents_merge_outlets_and_tolls_stay_apart(pipeline: Pipeline) -> None:
    incidents = pipeline.api("/incidents?limit=500")["incidents"]
    kinds = {d["kind"] for d in incidents}
    assert {"killed", "injured", "captured", "missing"} <= kinds, incidents
    # Two outlets reported the Idlib market strike (12, then 15 dead): one incident.
    idlib = [
        d
        for d in incidents
        if d["kind"] == "killed"
        and d["victims"] == "civilians"
        and d["country"] == "SY"
        and d["sources"] == 2
    ]
    assert len(idlib) == 1, incidents
    assert (idlib[0]["low"], idlib[0]["high"]) == (12, 15)
    # Running tolls (Gaza's ministry, the whole Syrian war) are never incidents.
    assert all(d["best"] < 1000 for d in incidents), incidents
    tolls = {t["latest"] for t in pipeline.api("/tolls")["tolls"]}
    assert 43972 in tolls and 500000 in tolls
    by_kind = {r["kind"]: r["best"] for r in pipeline.api("/totals?group_by=kind")["totals"]}
    assert 0 < by_kind["killed"] < 1000


def test_api_rejects_bad_parameters_with_400(pipeline: Pipeline) -> None:
    from shared.supervisor import http_get

    url = pipeline.of("aggregator")[0].url
    for query in (
        "/incidents?limit=0",
        "/incidents?kind=sad",
        "/totals?group_by=url",
        "/incidents?since=soon",
    ):
        status, body = http_get(url + query)
        assert status == 400, query
        assert orjson.loads(body)["error"]
    assert http_get(url + "/incidents/no-such-id")[0] == 404
    assert orjson.loads(http_get(url + "/openapi.json")[1])["openapi"].startswith("3.")


def dead_letters_keyed(pipeline: Pipeline, topic: str, key: bytes) -> list[DeadLetter]:
    """Dead letters of messages sent to ``topic`` with ``key``, waiting for the first one."""
    wanted = base64.b64encode(key).decode()
    values = consume_all(
        pipeline.bootstrap,
        topics.deadletter_of(topic),
        expect=10_000,
        timeout_s=30,
        until=lambda v: orjson.loads(v).get("key_b64") == wanted,
    )
    return [d for d in (decode(DeadLetter, v) for v in values) if d.key_b64 == wanted]


@pytest.mark.parametrize(
    ("topic", "value", "reason"),
    [
        (topics.RAW, b"\x00\x01 definitely not json", "not_json"),
        (topics.RAW, b'{"article_id": 12}', "wrong_type"),
        (topics.PARSED, b'{"article_id": "x"}', "missing_field"),
        (topics.EXTRACTED, b"[]", "not_object"),
    ],
)
def test_bad_messages_are_dead_lettered_with_original_bytes(
    pipeline: Pipeline, topic: str, value: bytes, reason: str
) -> None:
    key = b"poison-" + reason.encode()
    produce(pipeline.bootstrap, topic, [(key, value)])
    mine = dead_letters_keyed(pipeline, topic, key)
    assert mine, f"no dead letter for {value!r} on {topic}"
    assert base64.b64decode(mine[0].value_b64) == value
    assert mine[0].reason == reason
    assert mine[0].topic == topic
    assert mine[0].detail


def test_a_page_without_an_article_is_dead_lettered_and_the_next_one_flows(pipeline: Pipeline) -> None:
    consumed = "wirecount_parser_messages_consumed_total"
    produced = "wirecount_parser_messages_produced_total"
    consumed_before = pipeline.stage_metric("parser", consumed, topic=topics.RAW)
    produced_before = pipeline.stage_metric("parser", produced, topic=topics.PARSED)
    empty = RawArticle(
        article_id="empty-page", url="https://x.example/empty", html="<html><body></body></html>"
    )
    good_html = (EXAMPLES / "en-wire-airstrike-idlib.html").read_text(encoding="utf-8")
    good = RawArticle(article_id="again", url="https://x.example/again", html=good_html, entered_at=1.0)
    produce(pipeline.bootstrap, topics.RAW, [(b"empty-page", empty.dumps()), (b"again", good.dumps())])
    deadline = time.monotonic() + 60
    while pipeline.stage_metric("parser", consumed, topic=topics.RAW) < consumed_before + 2:
        assert time.monotonic() < deadline, "the parser did not take both messages"
        time.sleep(0.2)
    assert pipeline.stage_metric("parser", produced, topic=topics.PARSED) == produced_before + 1
    empty_letters = dead_letters_keyed(pipeline, topics.RAW, b"empty-page")
    assert empty_letters and empty_letters[0].reason in {"no_content", "no_article"}


def test_every_worker_serves_metrics_and_health(pipeline: Pipeline) -> None:
    from shared.supervisor import http_get

    for worker in pipeline.workers:
        status, body = http_get(worker.url + "/health")
        assert status == 200 and orjson.loads(body)["status"] == "ok"
        status, body = http_get(worker.url + "/metrics")
        assert status == 200
        assert f"wirecount_{worker.stage}_healthy 1.0".encode() in body


def test_workdir_holds_one_log_per_worker(pipeline: Pipeline) -> None:
    logs = sorted(Path(pipeline.workdir, "logs").glob("*.log"))
    assert {p.name.split("-")[0] for p in logs} >= {"fetcher", "parser", "extractor", "aggregator"}
