"""``make bench``: what each stage costs, what the machine allows, and how close the pipeline comes.

Every number comes from one run on a corpus made by :mod:`tools.generator`
(realistic pages of 30-150 KB, Arabic and English, with figures), so runs are
reproducible; when the real pages are beside the checkout (``../shared/pages``,
``PAGES=``), :mod:`tools.bench_pages` measures them first. The stage costs call the same pure functions the workers call.
The last line of output is one JSON object with every result.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services.aggregator import entry as aggregator_entry
from services.extractor import entry as extractor_entry
from services.extractor.logic import load_entities
from services.parser import entry as parser_entry
from shared import topics
from shared.records import ParsedArticle, RawArticle
from shared.settings import load_settings
from shared.supervisor import metric_sum, scrape
from tools import bench_pages
from tools.bench_common import StageCost, cpu_ms, percentile, publish, rss_peak_mb, run_pipeline
from tools.generator import generate_corpus

MAX_HTML = 5 * 1024 * 1024
MIN_TEXT = 80


def raw_articles(corpus: list[Any]) -> list[RawArticle]:
    """The generated pages as the publish CLI would send them."""
    from services.fetcher.logic import raw_from_html_bytes

    return [raw_from_html_bytes(a.html, url=a.url, entered_at=0.0, published=a.published) for a in corpus]


def stage_costs(raws: list[RawArticle], cache_dir: Path) -> tuple[list[StageCost], list[ParsedArticle]]:
    """CPU ms per article of each stage's entry function (decode, work, records out), in process."""
    entities = load_entities(cache_dir)
    state = aggregator_entry.memory_state()
    parse: list[float] = []
    extract: list[float] = []
    aggregate: list[float] = []
    parsed_all: list[ParsedArticle] = []
    for raw in raws:
        ms, [parsed] = cpu_ms(
            partial(
                parser_entry.process, raw.dumps(), max_html_bytes=MAX_HTML, min_text_chars=MIN_TEXT, now=1.0
            )
        )
        parse.append(ms)
        parsed_all.append(parsed)
        ms, [extracted] = cpu_ms(partial(extractor_entry.process, parsed.dumps(), entities, now=1.0))
        extract.append(ms)

        def fold(value: bytes = extracted.dumps()) -> None:
            for event in aggregator_entry.route(value, today="2026-11-26"):
                aggregator_entry.merge(event.dumps(), state, window_days=1, now=1.0)

        aggregate.append(cpu_ms(fold)[0])
    costs = [StageCost("parse", parse), StageCost("extract", extract), StageCost("aggregate", aggregate)]
    return costs, parsed_all


async def _incident_latencies(bootstrap: str, since: float) -> list[float]:
    consumer = AIOKafkaConsumer(
        topics.INCIDENTS, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    latencies: list[float] = []
    try:
        idle = 0
        while idle < 3:
            batches = await consumer.getmany(timeout_ms=500)
            idle = 0 if batches else idle + 1
            for records in batches.values():
                for record in records:
                    doc = orjson.loads(record.value)
                    if doc.get("entered_at", 0) >= since:
                        latencies.append(doc["updated_at"] - doc["entered_at"])
    finally:
        await consumer.stop()
    return latencies


def throughput_and_latency(
    workdir: Path, raws: list[RawArticle], fresh: list[RawArticle], latency_s: float
) -> dict[str, Any]:
    """End-to-end throughput (as fast as possible), then latency at half that rate."""
    replicas = {"fetcher": 0, "parser": 1, "extractor": 1, "aggregator": 1}
    pipeline = run_pipeline(workdir / "e2e", replicas)
    try:
        # Warm-up: joins, caches and first-message costs are not throughput.
        publish(pipeline.bootstrap, raws[:5])
        pipeline.wait_idle(5, timeout_s=120)
        started = time.monotonic()
        publish(pipeline.bootstrap, raws)
        pipeline.wait_idle(5 + len(raws), timeout_s=1800)
        elapsed = time.monotonic() - started
        throughput = len(raws) / elapsed
        rate = throughput / 2
        # Articles not seen before: a republished text would change no incident, so measure nothing.
        batch = fresh[: max(20, int(rate * latency_s))]
        count = len(batch)
        mark = time.time()
        publish(pipeline.bootstrap, batch, rate=rate)
        pipeline.wait_idle(5 + len(raws) + count, timeout_s=600)
        latencies = asyncio.run(_incident_latencies(pipeline.bootstrap, mark))
        rss = {w.stage: round(rss_peak_mb(w.process.pid), 1) for w in pipeline.workers}
    finally:
        pipeline.stop()
    return {
        "throughput_articles_per_s": round(throughput, 2),
        "latency_rate_articles_per_s": round(rate, 2),
        "latency_samples": len(latencies),
        "latency_p50_s": round(percentile(latencies, 50), 3),
        "latency_p95_s": round(percentile(latencies, 95), 3),
        "latency_p99_s": round(percentile(latencies, 99), 3),
        "rss_mb": rss,
    }


def backlog_of(records: list[Any], copies: int = 4) -> list[Any]:
    """``copies`` of every record under distinct article ids: a backlog long enough to time."""
    return [r.derive(article_id=f"{i}-{r.article_id}") for i in range(copies) for r in records]


def _consumed(url: str, metric: str) -> float:
    try:
        return metric_sum(scrape(url), metric)
    except OSError:
        return 0.0  # not listening yet


def scaling(workdir: Path, records: list[Any], stage: str, copies: int = 4) -> dict[str, Any]:
    """Consumption rate of ``stage`` with its input pre-filled, with 1 and then 2 replicas.

    The rate is taken over the window in which every replica is consuming (after the
    group settled) up to 90 % of the backlog, so neither the join nor the last
    partition's tail is counted.
    """
    topic = topics.STAGE_INPUT[stage]
    backlog = backlog_of(records, copies)
    metric = f"wirecount_{stage}_messages_consumed_total"
    rates: dict[int, float] = {}
    shares: list[float] = []
    for count in (1, 2):
        replicas = {"fetcher": 0, "parser": 0, "extractor": 0, "aggregator": 0}
        pipeline = run_pipeline(workdir / f"scale-{count}", replicas)
        try:
            publish(pipeline.bootstrap, backlog, topic=topic)
            env = dict(os.environ) | {"KAFKA_BROKER": pipeline.bootstrap, "WIRECOUNT_BROKER_FLAVOUR": "tansu"}
            workers = [pipeline.spawn(stage, env) for _ in range(count)]
            start: tuple[float, list[float]] | None = None
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                done = [_consumed(w.url, metric) for w in workers]
                now = time.monotonic()
                if start is None and all(d > 0 for d in done):
                    start = (now, done)
                if start is not None and sum(done) >= 0.9 * len(backlog):
                    rates[count] = (sum(done) - sum(start[1])) / max(1e-6, now - start[0])
                    deltas = [d - s for d, s in zip(done, start[1], strict=True)]
                    shares = [round(d / max(1.0, sum(deltas)), 3) for d in deltas]
                    break
                time.sleep(0.1)
            else:
                raise TimeoutError(f"{stage} did not consume its backlog")
        finally:
            pipeline.stop()
    return {
        "scaling_stage": stage,
        "scaling_backlog": len(backlog),
        "scaling_rate_1": round(rates[1], 2),
        "scaling_rate_2": round(rates[2], 2),
        "scaling_1_to_2": round(rates[2] / rates[1], 2),
        "scaling_shares_2": shares,
    }


async def _bare_loop(bootstrap: str, stage: str, expect: int) -> float:
    """The stage's work in a bare aiokafka consume-process-produce loop; messages per second."""
    fn = _stage_function(stage)
    consumer = AIOKafkaConsumer(
        topics.STAGE_INPUT[stage],
        bootstrap_servers=bootstrap,
        group_id=f"bare-{stage}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_batch_size=1)
    await consumer.start()
    await producer.start()
    done, first = 0, 0.0
    try:
        while done < expect:
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    if not first:
                        first = time.monotonic()
                    for out_topic, key, value in fn(record.value):
                        await producer.send(out_topic, key=key, value=value)
                    done += 1
            await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()
    return (done - 1) / max(1e-6, time.monotonic() - first)


def _stage_function(stage: str) -> Callable[[bytes], list[tuple[str, bytes, bytes]]]:
    """The same entry function the worker calls, as bytes in, (topic, key, value) out."""
    if stage == "parser":

        def parse(value: bytes) -> list[tuple[str, bytes, bytes]]:
            out = parser_entry.process(
                value, max_html_bytes=MAX_HTML, min_text_chars=MIN_TEXT, now=time.time()
            )
            return [(topics.PARSED, p.article_id.encode(), p.dumps()) for p in out]

        return parse
    entities = load_entities(load_settings().cache_dir)

    def extract(value: bytes) -> list[tuple[str, bytes, bytes]]:
        out = extractor_entry.process(value, entities, now=time.time())
        return [(topics.EXTRACTED, e.article_id.encode(), e.dumps()) for e in out]

    return extract


def framework_overhead(workdir: Path, records: list[Any], stage: str, faust_rate: float) -> dict[str, Any]:
    """The same stage, same broker and data, as a bare aiokafka loop: compare with the faust worker."""
    replicas = {"fetcher": 0, "parser": 0, "extractor": 0, "aggregator": 0}
    pipeline = run_pipeline(workdir / "bare", replicas)
    try:
        publish(pipeline.bootstrap, records, topic=topics.STAGE_INPUT[stage])
        rate = asyncio.run(_bare_loop(pipeline.bootstrap, stage, len(records)))
    finally:
        pipeline.stop()
    return {"bare_rate": round(rate, 2), "framework_ratio": round(rate / max(faust_rate, 1e-6), 3)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print a table and one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument("--workdir", type=Path, default=Path(".wirecount/bench"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pages", type=Path, default=bench_pages.default_folder(), help="real pages (PAGES)")
    parser.add_argument("--only", choices=("pages", "generated"), help="run one section")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    real = None if args.only == "generated" else bench_pages.section(args.pages, args.workdir, cores)
    if args.only == "pages":
        print(orjson.dumps({"cores": cores, "real_pages": real}).decode())
        return 0
    corpus = generate_corpus(args.articles, seed=args.seed)
    raws = raw_articles(corpus)
    fresh = raw_articles(generate_corpus(args.articles, seed=args.seed + 1))
    sizes = [len(a.html) for a in corpus]
    print(f"corpus: {len(raws)} pages, median {statistics.median(sizes) / 1024:.0f} KB", flush=True)

    costs, parsed = stage_costs(raws, load_settings().cache_dir)
    per_article_ms = sum(c.mean_ms for c in costs)
    limit = cores * 1000 / per_article_ms
    for cost in costs:
        print(
            f"  {cost.name:<10} median {cost.median_ms:7.2f} ms  p95 {cost.p95_ms:7.2f} ms  "
            f"{1000 / cost.mean_ms:8.1f} articles/s on one core",
            flush=True,
        )
    print(f"machine limit: {cores} cores / {per_article_ms:.2f} ms = {limit:.1f} articles/s", flush=True)

    e2e = throughput_and_latency(args.workdir, raws, fresh, args.latency_seconds)
    print(
        f"end to end: {e2e['throughput_articles_per_s']} articles/s; latency at half load p50 "
        f"{e2e['latency_p50_s']} s p95 {e2e['latency_p95_s']} s p99 {e2e['latency_p99_s']} s",
        flush=True,
    )
    bottleneck = max(costs[:2], key=lambda c: c.mean_ms).name
    stage = {"parse": "parser", "extract": "extractor"}[bottleneck]
    base = raws if stage == "parser" else parsed
    scale = scaling(args.workdir, base, stage)
    overhead = framework_overhead(args.workdir, backlog_of(base), stage, scale["scaling_rate_1"])
    print(
        f"framework: faust {scale['scaling_rate_1']} msg/s vs bare aiokafka loop "
        f"{overhead['bare_rate']} msg/s (ratio {overhead['framework_ratio']})",
        flush=True,
    )
    print(
        f"scaling {stage}: {scale['scaling_rate_1']} -> {scale['scaling_rate_2']} msg/s "
        f"({scale['scaling_1_to_2']}x), shares {scale['scaling_shares_2']}",
        flush=True,
    )
    summary = {
        "articles": len(raws),
        "cores": cores,
        "stage_ms": {
            c.name: {"median": round(c.median_ms, 3), "p95": round(c.p95_ms, 3), "mean": round(c.mean_ms, 3)}
            for c in costs
        },
        "limit_articles_per_s": round(limit, 2),
        **e2e,
        "ratio_to_limit": round(e2e["throughput_articles_per_s"] / limit, 3),
        **scale,
        **overhead,
        "real_pages": real,
    }
    print(orjson.dumps(summary).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
