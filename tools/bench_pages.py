"""The real-pages section of ``make bench``: what real news costs the parser, against trafilatura alone.

The pages are the public article-extraction benchmark kept beside a checkout
(``../shared/pages``: ``html/<key>.html.gz`` and ``ground-truth.json``, the
article body a person marked on each page); the project never ships them, so
without the folder the section says so and is skipped. In one run:

- CPU per page of :func:`services.parser.logic.parse_raw` and of bare
  ``trafilatura.extract`` (its defaults) on the same decoded pages, interleaved
  page by page so the machine's noise falls on both alike, and their ratio;
- the parser's main-text F1 by the benchmark's measure (:mod:`tools.maintext_score`),
  trafilatura's beside it as the baseline;
- the machine's limit on these pages (cores / the mean parse + extract + aggregate
  cost per page) and end-to-end throughput over the embedded broker, each page
  published three times under distinct URLs, with one replica per stage and
  with two parser replicas.
"""

from __future__ import annotations

import gzip
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import trafilatura

from services.aggregator import entry as aggregator_entry
from services.extractor import entry as extractor_entry
from services.extractor.logic import load_entities
from services.fetcher.logic import raw_from_html_bytes
from services.fetcher.publish import MAX_RECORD_BYTES
from services.parser.decoding import decode_bytes
from services.parser.logic import parse_raw
from shared.records import BadRecord, RawArticle
from shared.settings import load_settings
from tools.bench_common import StageCost, cpu_ms, publish, run_pipeline
from tools.maintext_score import score_pages
from tools.procstat import cpu_seconds

# The measure: each page published this many times, as republished copies are.
COPIES = 3
# Pages of the warm-up batch: joins, caches and first-message costs are not throughput.
WARM_UP = 5
MAX_HTML = 5 * 1024 * 1024
MIN_TEXT = 80
# A page fetched "now": publication dates in the pages are all in the past.
NOW = 1.9e9
TODAY = "2030-03-17"


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its bytes, where it was published and the article text a person marked."""

    key: str
    url: str
    html: bytes
    truth: str


def default_folder() -> Path:
    """``PAGES`` from the environment, else ``../shared/pages`` beside the checkout."""
    return Path(os.environ.get("PAGES") or "../shared/pages")


def load_pages(folder: Path) -> list[Page]:
    """Every page listed in ``ground-truth.json`` whose ``html/<key>.html.gz`` is there, by key."""
    truth = orjson.loads((folder / "ground-truth.json").read_bytes())
    pages = []
    for key in sorted(truth):
        path = folder / "html" / f"{key}.html.gz"
        if path.is_file():
            entry = truth[key]
            pages.append(
                Page(key, entry.get("url") or "", gzip.decompress(path.read_bytes()), entry["articleBody"])
            )
    return pages


def copy_url(url: str, copy: int) -> str:
    """``url`` made distinct per copy, as a tracking parameter would (copy 0 is the URL itself)."""
    if not copy:
        return url
    return f"{url}{'&' if '?' in url else '?'}wirecount-copy={copy}"


def raw_of(page: Page, copy: int = 0) -> RawArticle:
    """The page as the publish CLI sends it: its bytes, base64, under its (copy's) URL."""
    return raw_from_html_bytes(page.html, url=copy_url(page.url, copy) or None, entered_at=0.0)


def publishable(pages: list[Page]) -> list[Page]:
    """The pages the publish CLI would send: a record over Kafka's message limit is refused by name."""
    return [p for p in pages if len(raw_of(p, COPIES).dumps()) <= MAX_RECORD_BYTES]


def parse(raw: RawArticle) -> Any:
    """The parser's pure function on one page, as the bench measures it."""
    return parse_raw(raw, max_html_bytes=MAX_HTML, min_text_chars=MIN_TEXT, now=NOW)


def _trafilatura(html: str) -> str:
    return trafilatura.extract(html) or ""


def costs(pages: list[Page], cache_dir: Path) -> dict[str, Any]:
    """Per-page CPU of the parser, trafilatura, extraction and aggregation, and both texts' scores."""
    entities = load_entities(cache_dir)
    state = aggregator_entry.memory_state()
    raws = [raw_of(p) for p in pages]
    htmls = [decode_bytes(p.html, None)[0] for p in pages]
    parse(raws[0]), _trafilatura(htmls[0])  # first calls load lazily built tables
    ours_ms, bare, extract, aggregate = StageCost("parse", []), StageCost("trafilatura", []), [], []
    ours, theirs, rejected = [], [], []
    for page, raw, html in zip(pages, raws, htmls, strict=True):
        ms, text = cpu_ms(lambda: _trafilatura(html))  # noqa: B023 - called at once
        bare.samples_ms.append(ms)
        theirs.append((page.truth, text))
        try:
            ms, parsed = cpu_ms(lambda: parse(raw))  # noqa: B023
        except BadRecord as exc:
            rejected.append(f"{page.key[:12]}: {exc.reason}")
            ours.append((page.truth, ""))
            continue
        ours_ms.samples_ms.append(ms)
        ours.append((page.truth, parsed.text))
        ms, [extracted] = cpu_ms(lambda: extractor_entry.process(parsed.dumps(), entities, now=NOW))  # noqa: B023
        extract.append(ms)

        def fold(value: bytes = extracted.dumps()) -> None:
            for event in aggregator_entry.route(value, today=TODAY):
                aggregator_entry.merge(event.dumps(), state, window_days=1, now=NOW)

        aggregate.append(cpu_ms(fold)[0])
    mean_ms = ours_ms.mean_ms + statistics.fmean(extract) + statistics.fmean(aggregate)
    return {
        "parse": ours_ms,
        "trafilatura": bare,
        "extract_ms_median": statistics.median(extract),
        "aggregate_ms_median": statistics.median(aggregate),
        "mean_ms": mean_ms,
        "ours": score_pages(ours),
        "theirs": score_pages(theirs),
        "rejected": rejected,
    }


def _cpu_by_process(pipeline: Any) -> dict[str, float]:
    """CPU seconds used so far by each worker (``stage:port``) and the embedded broker."""
    out = {f"{w.stage}:{w.port}": cpu_seconds(w.process.pid) for w in pipeline.workers}
    if pipeline.broker is not None and pipeline.broker.process is not None:
        out["broker"] = cpu_seconds(pipeline.broker.process.pid)
    return out


def throughput(workdir: Path, pages: list[Page], parsers: int) -> tuple[float, dict[str, float]]:
    """Articles per second through parse, extract and aggregate (every page ``COPIES`` times, as fast
    as possible), and the CPU milliseconds per article each process spent meanwhile."""
    replicas = {"fetcher": 0, "parser": parsers, "extractor": 1, "aggregator": 1}
    warm = [raw_of(p, COPIES + 1) for p in pages[:WARM_UP]]
    batch = [raw_of(p, copy) for copy in range(COPIES) for p in publishable(pages)]
    pipeline = run_pipeline(workdir / f"pages-{parsers}", replicas)
    try:
        publish(pipeline.bootstrap, warm)
        pipeline.wait_idle(len(warm), timeout_s=180)
        before = _cpu_by_process(pipeline)
        started = time.monotonic()
        publish(pipeline.bootstrap, batch)
        pipeline.wait_idle(len(warm) + len(batch), timeout_s=1800)
        rate = len(batch) / (time.monotonic() - started)
        after = _cpu_by_process(pipeline)
    finally:
        pipeline.stop()
    per_article = {
        name: round((after[name] - before.get(name, 0.0)) * 1000 / len(batch), 1) for name in after
    }
    return rate, per_article


def section(folder: Path, workdir: Path, cores: int) -> dict[str, Any] | None:
    """Run and print the real-pages section; its JSON part, or None (said so) without the pages."""
    if not (folder / "ground-truth.json").is_file():
        print(f"real pages: skipped: no ground-truth.json in {folder} (set PAGES=DIR)", flush=True)
        return None
    pages = load_pages(folder)
    sizes = sorted(len(p.html) for p in pages)
    print(
        f"real pages: {len(pages)} from {folder}, median {statistics.median(sizes) / 1024:.0f} KB", flush=True
    )
    measured = costs(pages, load_settings().cache_dir)
    parse, bare, ours, theirs = (
        measured["parse"],
        measured["trafilatura"],
        measured["ours"],
        measured["theirs"],
    )
    ratio = parse.median_ms / bare.median_ms
    limit = cores * 1000 / measured["mean_ms"]
    print(
        f"  parse_raw   median {parse.median_ms:6.2f} ms  p95 {parse.p95_ms:6.2f} ms  (mean {parse.mean_ms:.2f})\n"
        f"  trafilatura median {bare.median_ms:6.2f} ms  p95 {bare.p95_ms:6.2f} ms  ratio {ratio:.2f}\n"
        f"  extract median {measured['extract_ms_median']:.2f} ms, aggregate {measured['aggregate_ms_median']:.2f} ms"
        f"; limit {cores} cores / {measured['mean_ms']:.2f} ms = {limit:.1f} articles/s\n"
        f"  main text F1 {ours.f1:.3f} (P {ours.precision:.3f} R {ours.recall:.3f}); "
        f"trafilatura alone {theirs.f1:.3f} (P {theirs.precision:.3f} R {theirs.recall:.3f})",
        flush=True,
    )
    if measured["rejected"]:
        print(f"  rejected by the parser: {', '.join(measured['rejected'])}", flush=True)
    sent = len(publishable(pages))
    one, cpu_one = throughput(workdir, pages, parsers=1)
    two, cpu_two = throughput(workdir, pages, parsers=2)
    print(
        f"  end to end, {COPIES} x {sent} pages ({len(pages) - sent} over the 1 MB record limit): "
        f"{one:.1f} articles/s; with 2 parsers {two:.1f} ({two / limit:.2f} of the limit)",
        flush=True,
    )
    print(
        f"  CPU ms per article, 1 parser: {cpu_one}\n  CPU ms per article, 2 parsers: {cpu_two}", flush=True
    )
    return {
        "pages": len(pages),
        "pages_published": sent,
        "parse_ms_median": round(parse.median_ms, 2),
        "trafilatura_ms_median": round(bare.median_ms, 2),
        "parse_to_trafilatura": round(ratio, 3),
        "maintext_f1": round(ours.f1, 4),
        "maintext_precision": round(ours.precision, 4),
        "maintext_recall": round(ours.recall, 4),
        "trafilatura_f1": round(theirs.f1, 4),
        "extract_ms_median": round(measured["extract_ms_median"], 2),
        "throughput_articles_per_s": round(one, 2),
        "throughput_2_parsers_articles_per_s": round(two, 2),
        "limit_articles_per_s": round(limit, 2),
        "ratio_to_limit_2_parsers": round(two / limit, 3),
        "cpu_ms_per_article": cpu_one,
        "cpu_ms_per_article_2_parsers": cpu_two,
    }
