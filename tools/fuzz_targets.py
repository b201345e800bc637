"""What the fuzz harness feeds: each stage's entry function, valid seeds, strategies and hostile cases.

The good input of each stage is the previous stage's real output for a valid
article (written for the project), so a good input is one the pipeline makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from hypothesis import strategies as st

from services.aggregator import entry as aggregator
from services.extractor import entry as extractor
from services.fetcher import entry as fetcher
from services.parser import entry as parser
from shared import codec
from shared.records import WireRecord
from tools import fuzz_values as v
from tools.fuzz_strategies import (
    any_text,
    body_b64,
    html_doc,
    json_any,
    messages,
    mutated,
    poison,
    sentences,
)

NOW = 1_795_000_000.0  # 2026-11-18: a fixed clock keeps runs repeatable
TODAY = "2026-11-26"
MAX_HTML_BYTES = 5 * 1024 * 1024  # the default WIRECOUNT_MAX_HTML_BYTES
MIN_TEXT_CHARS = 80
WINDOW_DAYS = 3
FEED_MAX_BYTES = 1 << 20  # the fetcher's floor for a gzipped listing

GOOD_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strike on a market</title>
<meta property="article:published_time" content="2026-11-16T08:00:00Z"></head><body><article>
<h1>Strike on a market</h1>
<p>An air strike on a crowded market killed 12 civilians in Idlib on Monday, local officials said.</p>
<p>Rescue teams worked through the night to reach people trapped under two collapsed buildings.</p>
<p>The provincial health directorate said 30 more people were wounded and taken to nearby hospitals.</p>
</article></body></html>"""
GOOD_TEXT_AR = (
    "قالت مصادر طبية إن غارة جوية قتلت 7 أشخاص في مدينة إدلب يوم الاثنين، وأصيب 20 آخرون بجروح "
    "نقلوا إلى مستشفيات قريبة، بحسب ما أفاد به مسؤولون محليون."
)
RAW_BASE: dict[str, Any] = {
    "article_id": "fuzz-raw",
    "url": "https://wire.example/2026/11/16/market",
    "html": GOOD_HTML,
    "lang": "en",
    "published": "2026-11-16T08:00:00Z",
    "source": "fuzz",
    "entered_at": NOW - 60,
}
RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
    "<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item></channel></rss>"
)


@dataclass
class Target:
    """One pure entry point, what good input for it looks like, and how to attack it."""

    name: str
    call: Callable[[bytes], Sequence[Any]]
    good: Callable[[int], bytes]
    strategy: st.SearchStrategy[bytes]
    hostile: Callable[[], Iterator[tuple[str, bytes]]]
    reset: Callable[[], None] | None = None


def _json(record: WireRecord) -> dict[str, Any]:
    return orjson.loads(codec.dumps(record))


def _generic_hostile() -> Iterator[tuple[str, bytes]]:
    yield "empty", b""
    yield "nul", b"\x00" * 64
    yield "invalid_utf8", b'{"article_id": "\xff\xfe\xed\xa0\x80"}'
    yield "lone_surrogate", b'{"article_id": "\\ud800"}'
    yield "deep_json", b"[" * v.DEEP + b"]" * v.DEEP
    yield "deep_object", b'{"a":' * v.DEEP + b"1" + b"}" * v.DEEP
    yield "truncated", b'{"article_id": "x", "html": "<p>'
    yield "hundred_digits", v.HUNDRED_DIGITS.encode()
    yield "json_array", b"[1, 2, 3]"
    yield "schema_from_the_future", b'{"schema": 99, "article_id": "x"}'
    yield "enormous_string", orjson.dumps({"article_id": "x" * v.HUGE})
    yield "random_bytes", bytes(range(256)) * 64


def _record_hostile(base: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """Each poison value in each field of ``base``, once."""
    for name in base:
        for i, value in enumerate(v.POISON):
            yield f"{name}={i}", v.dumps(base | {name: value})


def parser_target() -> Target:
    """``articles.raw`` -> ``articles.parsed``."""

    def call(value: bytes) -> Sequence[Any]:
        return parser.process(value, max_html_bytes=MAX_HTML_BYTES, min_text_chars=MIN_TEXT_CHARS, now=NOW)

    def good(i: int) -> bytes:
        return v.dumps(RAW_BASE | {"article_id": f"good-{i}"})

    fields = {"html": html_doc, "body_b64": body_b64, "text": st.one_of(sentences, any_text), "url": any_text}
    records = st.one_of(
        mutated(RAW_BASE, fields),
        mutated({k: x for k, x in RAW_BASE.items() if k != "html"} | {"text": GOOD_TEXT_AR}, fields),
        mutated({k: x for k, x in RAW_BASE.items() if k != "html"} | {"body_b64": v.b64(b"")}, fields),
    )

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield from _generic_hostile()
        yield from _record_hostile(RAW_BASE)
        base = {k: x for k, x in RAW_BASE.items() if k != "html"}
        yield "million_nested_tags", v.dumps(base | {"html": v.nested_tags(1_000_000)})
        yield "nested_tags_over_limit", v.dumps(base | {"html": v.nested_tags(2_000_000, "b")})
        yield "enormous_page", v.dumps(base | {"html": "<p>" + "A strike killed 3 people. " * 190_000})
        yield "gzip_bomb_b64", v.dumps(base | {"body_b64": v.b64(v.gzip_bomb(8 << 20))})
        yield "gzip_page_b64", v.dumps(base | {"body_b64": v.b64(v.gzipped(GOOD_HTML.encode()))})
        yield "b64_over_limit", v.dumps(base | {"body_b64": "QUFB" * (2 << 20)})
        yield "utf16_no_bom", v.dumps(base | {"body_b64": v.b64(GOOD_HTML.encode("utf-16-le"))})
        yield "cp1256_declared_utf8", v.dumps(base | {"body_b64": v.b64(GOOD_TEXT_AR.encode("cp1256"))})
        yield (
            "mixed_encodings",
            v.dumps(base | {"body_b64": v.b64(GOOD_HTML.encode() + GOOD_TEXT_AR.encode("cp1256") * 3)}),
        )
        yield "rtl_override_text", v.dumps(base | {"text": (v.RTL + GOOD_TEXT_AR) * 3})
        yield "text_over_limit", v.dumps(base | {"text": "a" * v.HUGE})
        yield "year_99999", v.dumps(RAW_BASE | {"published": "99999-12-31T00:00:00Z"})

    return Target("parser", call, good, messages(records), hostile)


def _parsed_base() -> dict[str, Any]:
    [parsed] = parser.process(
        v.dumps(RAW_BASE), max_html_bytes=MAX_HTML_BYTES, min_text_chars=MIN_TEXT_CHARS, now=NOW
    )
    return _json(parsed)


def extractor_target(cache_dir: Path) -> Target:
    """``articles.parsed`` -> ``articles.extracted``, with the real gazetteer."""
    from services.extractor.logic import load_entities

    entities = load_entities(cache_dir)
    base = _parsed_base()

    def call(value: bytes) -> Sequence[Any]:
        return extractor.process(value, entities, now=NOW)

    def good(i: int) -> bytes:
        return v.dumps(base | {"article_id": f"good-{i}"})

    langs = st.sampled_from(["en", "ar", "und", "fr", "", "EN", "ar-SY"])
    fields = {"text": st.one_of(sentences, any_text), "title": st.one_of(sentences, st.none()), "lang": langs}
    ar_base = base | {"text": GOOD_TEXT_AR, "lang": "ar", "title": None}

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield from _generic_hostile()
        yield from _record_hostile(base)
        yield "enormous_text", v.dumps(base | {"text": "killed 12 people in Idlib. " * 190_000})
        yield "enormous_arabic", v.dumps(ar_base | {"text": GOOD_TEXT_AR * 20_000})
        yield "hundred_digit_count", v.dumps(base | {"text": f"A strike killed {v.HUNDRED_DIGITS} people."})
        yield "digits_wall", v.dumps(base | {"text": "killed " + "9" * 1_000_000})
        yield "rtl_figures", v.dumps(ar_base | {"text": v.RTL + GOOD_TEXT_AR.replace("7", "\u202e7\u202c")})
        yield "year_99999", v.dumps(base | {"published": "99999-01-01", "text": "On 1 January 99999 " * 50})

    records = st.one_of(mutated(base, fields), mutated(ar_base, fields))
    return Target("extractor", call, good, messages(records), hostile)


def _extracted_base(cache_dir: Path) -> dict[str, Any]:
    from services.extractor.logic import load_entities

    [out] = extractor.process(v.dumps(_parsed_base()), load_entities(cache_dir), now=NOW)
    doc = _json(out)
    if not doc["casualties"]:
        raise RuntimeError("the good article gave no figure: the fuzz seeds need updating")
    return doc


def route_target(cache_dir: Path) -> Target:
    """``articles.extracted`` -> figure events (the aggregator's route step)."""
    base = _extracted_base(cache_dir)
    figure = base["casualties"][0]

    def call(value: bytes) -> Sequence[Any]:
        return aggregator.route(value, today=TODAY)

    def good(i: int) -> bytes:
        return v.dumps(base | {"article_id": f"good-{i}"})

    figures = st.lists(mutated(figure, {"subset_of": st.sampled_from([None, 0, 1, -1, 99])}), max_size=4)
    dates = st.lists(
        mutated({"iso": "2026-11-15", "start": 0, "end": 5, "text": "Sunday"}, {}, max_edits=2), max_size=3
    )
    places = st.lists(mutated(base["places"][0] if base["places"] else {"name": "x"}, {}), max_size=3)
    fields = {"casualties": figures, "dates": dates, "places": places}

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield from _generic_hostile()
        yield from _record_hostile(base)
        for name in figure:
            for i, value in enumerate(v.POISON):
                yield f"figure.{name}={i}", v.dumps(base | {"casualties": [figure | {name: value}]})
        yield "ten_thousand_figures", v.dumps(base | {"casualties": [figure] * 10_000})
        for i, value in enumerate(v.POISON):
            yield f"url_without_site={i}", v.dumps(base | {"site": None, "url": value})

    return Target("aggregator.route", call, good, messages(mutated(base, fields)), hostile)


def merge_target(cache_dir: Path) -> Target:
    """Figure events -> incidents and tolls (the aggregator's merge step) over in-memory state."""
    article = _extracted_base(cache_dir)
    event = aggregator.route(v.dumps(article), today=TODAY)[0]
    base = _json(event)
    holder = {"state": aggregator.memory_state()}

    def call(value: bytes) -> Sequence[Any]:
        return aggregator.merge(value, holder["state"], window_days=WINDOW_DAYS, now=NOW)

    def good(i: int) -> bytes:
        return v.dumps(base | {"figure_id": f"good-{i}:0", "article_id": f"good-{i}", "content_hash": str(i)})

    def reset() -> None:
        holder["state"] = aggregator.memory_state()

    few = st.sampled_from
    fields = {
        "figure_id": st.builds(lambda i: f"f{i}:0", st.integers(0, 50)),
        "article_id": st.builds(lambda i: f"a{i}", st.integers(0, 20)),
        "block": few([base["block"], "XX|killed", "SY|injured", "|", ""]),
        "scope": few(["incident", "cumulative", "", "other"]),
        "event_date": few(["2026-11-16", "2026-11-14", "99999-01-01", "0001-01-01", "2026-02-30", "x"]),
        "place": few([base["place"], "Idlib", "Al-Idlib", None, ""]),
        "count": st.integers(-5, 10**7),
        "subsets": st.lists(mutated({"kind": "killed", "count": 3, "victims": "children"}, {}), max_size=3),
    }

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield from _generic_hostile()
        yield from _record_hostile(base)

    return Target("aggregator.merge", call, good, messages(mutated(base, fields)), hostile, reset)


def view_target(cache_dir: Path) -> Target:
    """``casualties.incidents`` records into the API's view, then a scrape of the casualty gauges."""
    from services.aggregator.gauges import CasualtyGauges
    from services.aggregator.view import IncidentView

    article = _extracted_base(cache_dir)
    event = aggregator.route(v.dumps(article), today=TODAY)[0]
    [record] = aggregator.merge(v.dumps(_json(event)), aggregator.memory_state(), window_days=1, now=NOW)
    base = _json(record)
    holder = {"view": IncidentView()}

    def call(value: bytes) -> Sequence[Any]:
        aggregator.follow(value, holder["view"])
        list(CasualtyGauges(holder["view"]).collect())  # a scrape must survive whatever was applied
        return ["applied"]

    def good(i: int) -> bytes:
        return v.dumps(base | {"id": f"good-{i}"})

    def reset() -> None:
        holder["view"] = IncidentView()

    data = mutated(
        base["data"],
        {"kind": st.sampled_from(["killed", "sad", ""]), "country": st.sampled_from(["SY", "sy", None])},
    )
    fields = {"data": data, "type": st.sampled_from(["incident", "toll", "other"])}

    def hostile() -> Iterator[tuple[str, bytes]]:
        yield from _generic_hostile()
        yield from _record_hostile(base)
        for name in base["data"]:
            for i, value in enumerate(v.POISON):
                yield f"data.{name}={i}", v.dumps(base | {"data": base["data"] | {name: value}})

    return Target("aggregator.view", call, good, messages(mutated(base, fields)), hostile, reset)


def _rss(title: str, link: str, date: str) -> bytes:
    return RSS.format(title=title, link=link, date=date).encode("utf-8", "replace")


def fetcher_targets() -> list[Target]:
    """The fetcher's parsers of hostile bytes: sources and found messages, feeds, publish lines."""
    source = {"name": "wire", "url": "https://wire.example/rss.xml", "lang": "en", "interval_s": 300}
    found = {"source": "wire", "url": "https://wire.example/a", "canonical_url": "https://wire.example/a"}
    line = {"url": "https://wire.example/a", "html": GOOD_HTML, "lang": "en", "published": "2026-11-16"}
    feed = st.one_of(
        st.builds(
            _rss, any_text, st.one_of(any_text, st.sampled_from(["https://a.example/x", "//x", ""])), any_text
        ),
        st.binary(max_size=300),
        st.builds(lambda b, k: b[:k], st.builds(_rss, any_text, any_text, any_text), st.integers(0, 300)),
        html_doc.map(lambda h: h.encode("utf-8", "replace")),
    )

    def feed_hostile() -> Iterator[tuple[str, bytes]]:
        yield "billion_laughs", v.billion_laughs()
        yield "external_entity", v.external_entity()
        yield "gzip_bomb", v.gzip_bomb()
        yield "deep_xml", b"<rss>" + b"<a>" * v.DEEP + b"</rss>"
        yield (
            "sitemap_bomb",
            b"<urlset>" + b"<url><loc>https://a.example/</loc></url>" * 200_000 + b"</urlset>",
        )
        yield "empty", b""
        yield "year_99999", _rss("t", "https://a.example/1", "Mon, 01 Jan 99999 00:00:00 GMT")

    def records(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
        return messages(mutated(base, {}))

    def hostile_for(base: dict[str, Any]) -> Callable[[], Iterator[tuple[str, bytes]]]:
        return lambda: _chain(_generic_hostile(), _record_hostile(base))

    def good_of(base: dict[str, Any]) -> Callable[[int], bytes]:
        return lambda i: v.dumps(base)

    return [
        Target(
            "fetcher.listing",
            lambda b: fetcher.listing(b, "https://wire.example/", max_bytes=FEED_MAX_BYTES),
            lambda i: _rss("Strike", f"https://wire.example/{i}", "Mon, 16 Nov 2026 08:00:00 GMT"),
            feed,
            feed_hostile,
        ),
        Target(
            "fetcher.sources",
            lambda b: fetcher.source(b, min_interval_s=10.0),
            good_of(source),
            records(source),
            hostile_for(source),
        ),
        Target("fetcher.found", fetcher.found, good_of(found), records(found), hostile_for(found)),
        Target(
            "fetcher.publish_line",
            lambda b: fetcher.published_line(b, entered_at=NOW),
            good_of(line),
            records(line),
            hostile_for(line),
        ),
    ]


def _chain(*parts: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    for part in parts:
        yield from part


def all_targets(cache_dir: Path) -> list[Target]:
    """Every stage's targets, upstream first."""
    from tools.fuzz_view_targets import view_targets  # it builds on this module's helpers

    return [
        parser_target(),
        extractor_target(cache_dir),
        route_target(cache_dir),
        merge_target(cache_dir),
        view_target(cache_dir),
        *view_targets(cache_dir),
        *fetcher_targets(),
    ]


__all__ = ["Target", "all_targets", "json_any", "poison"]
