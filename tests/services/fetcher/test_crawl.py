"""Polling sources and fetching articles against a loopback site, as the worker does."""

from __future__ import annotations

import asyncio
import base64
import gzip
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services.fetcher.crawl import (
    FeedState,
    Found,
    entry_found,
    fetch_article,
    found_from_json,
    found_to_json,
    is_final,
    poll_source,
    seen_entry,
    skip_reason,
)
from services.fetcher.feeds import FeedEntry
from services.fetcher.http import Fetcher, FetchResult
from services.fetcher.sources import Source
from shared.records import BadRecord, RawArticle, article_id_for, decode
from tests.services.fetcher.site import Site, article, rss
from tests.services.fetcher.test_http import CONFIG


def with_site(body: Callable[[Site, Fetcher], Awaitable[Any]]) -> Any:
    """Run ``body`` with a fresh loopback site and a fetcher allowed to reach it."""

    async def go() -> Any:
        async with Site() as site, Fetcher(CONFIG) as fetcher:
            return await body(site, fetcher)

    return asyncio.run(go())


def test_new_entries_appear_between_polls_and_unchanged_feeds_are_not_modified() -> None:
    async def body(site: Site, fetcher: Fetcher) -> list[tuple[str, list[str]]]:
        source = Source("wire", site.url("/feed"), "en", 10.0, "feed")
        state = FeedState()
        reports = []
        site.static("/feed", rss([("One", site.url("/1"))]), "application/rss+xml", ETag='"v1"')
        reports.append(await poll_source(fetcher, source, state))
        reports.append(await poll_source(fetcher, source, state))  # same ETag: 304
        site.static(
            "/feed",
            rss([("Two", site.url("/2")), ("One", site.url("/1"))]),
            "application/rss+xml",
            ETag='"v2"',
        )
        reports.append(await poll_source(fetcher, source, state))
        assert [h.get("If-None-Match") for p, h in site.headers if p == "/feed"] == [None, '"v1"', '"v1"']
        return [(r.outcome, [f.url for f in r.found]) for r in reports]

    one, two = "http://127.0.0.1:{}/1", "http://127.0.0.1:{}/2"
    reports = with_site(body)
    port = reports[0][1][0].rsplit(":", 1)[1].split("/")[0]
    assert reports == [
        ("ok", [one.format(port)]),
        ("not_modified", []),
        ("ok", [two.format(port), one.format(port)]),
    ]


def test_duplicates_across_feeds_share_one_canonical_url() -> None:
    async def body(site: Site, fetcher: Fetcher) -> set[str]:
        site.static("/a.xml", rss([("X", site.url("/story/1/?utm_source=a")), ("Y", site.url("/story/2"))]))
        site.static("/b.xml", rss([("X again", site.url("/story/1#top"))]))
        found: list[Found] = []
        for name in ("a", "b"):
            report = await poll_source(fetcher, Source(name, site.url(f"/{name}.xml")), FeedState())
            found += report.found
        assert len(found) == 3
        return {f.canonical_url for f in found}

    assert len(with_site(body)) == 2


@pytest.mark.parametrize(
    ("document", "outcome"),
    [
        ("<html><body>moved</body></html>", "malformed_feed"),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss version="2.0"><channel/></rss>',
            "unsafe_xml",
        ),
    ],
)
def test_bad_feeds_are_reported_and_fetched_in_full_next_time(document: str, outcome: str) -> None:
    async def body(site: Site, fetcher: Fetcher) -> tuple[str, FeedState]:
        site.static("/feed", document, "application/xml", ETag='"e"')
        state = FeedState()
        report = await poll_source(fetcher, Source("bad", site.url("/feed")), state)
        return report.outcome, state

    got, state = with_site(body)
    assert got == outcome
    assert state.etag is None


def test_failed_poll_reports_the_http_outcome() -> None:
    async def body(site: Site, fetcher: Fetcher) -> str:
        report = await poll_source(fetcher, Source("gone", site.url("/nothing")), FeedState())
        return report.outcome

    assert with_site(body) == "4xx"


def test_sitemap_index_with_a_gzipped_news_sitemap() -> None:
    async def body(site: Site, fetcher: Fetcher) -> list[tuple[str, str | None]]:
        news = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>/n/1</loc><news:news>'
            "<news:title>N1</news:title></news:news></url></urlset>"
        )
        site.static("/news.xml.gz", gzip.compress(news.encode()), "application/octet-stream")
        index = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/news.xml.gz</loc></sitemap></sitemapindex>'
        site.static("/sitemap.xml", index, "application/xml")
        report = await poll_source(fetcher, Source("map", site.url("/sitemap.xml"), kind="auto"), FeedState())
        assert report.outcome == "ok"
        return [(f.url.split("/", 3)[3], f.title) for f in report.found]

    assert with_site(body) == [("n/1", "N1")]


def test_a_page_source_is_its_own_entry() -> None:
    async def body(site: Site, fetcher: Fetcher) -> list[str]:
        report = await poll_source(
            fetcher, Source("one", "https://w.example/story?utm_medium=x", kind="page"), FeedState()
        )
        assert sum(site.hits.values()) == 0
        return [f.canonical_url for f in report.found]

    assert with_site(body) == ["https://w.example/story"]


def test_fetched_article_carries_what_the_exchange_said() -> None:
    async def body(site: Site, fetcher: Fetcher) -> tuple[Any, FetchResult]:
        site.static("/s/1", article("One"), **{"Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT"})
        found = Found("wire", site.url("/s/1?utm_source=rss"), site.url("/s/1"), "One", "2026-11-24", "en")
        return await fetch_article(fetcher, found, now=123.0)

    record, result = with_site(body)
    assert result.ok and record is not None
    wire = decode(RawArticle, record.dumps())  # what the parser will see
    assert base64.b64decode(wire.body_b64 or "").startswith(b"<html><head><title>One")
    assert (wire.title, wire.published, wire.lang, wire.source) == ("One", "2026-11-24", "en", "wire")
    assert (wire.http_status, wire.content_type, wire.charset) == (200, "text/html", "utf-8")
    assert wire.fetched_at == wire.entered_at == 123.0
    assert record.canonical_url.endswith("/s/1") and record.last_modified == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert record.article_id == article_id_for(record.canonical_url)


def test_failed_and_empty_pages_give_no_record() -> None:
    async def body(site: Site, fetcher: Fetcher) -> list[str]:
        site.static("/empty", "   ")
        site.static("/report.pdf", b"%PDF-1.7 ...", "application/pdf")
        outcomes = []
        for path in ("/empty", "/missing", "/report.pdf"):
            record, result = await fetch_article(fetcher, Found("s", site.url(path), site.url(path)), now=0.0)
            assert record is None
            outcomes.append(result.outcome)
        return outcomes

    assert with_site(body) == ["decode_error", "4xx", "unsupported_type"]


def test_which_failures_are_final() -> None:
    assert is_final(FetchResult("u", "2xx")) and is_final(FetchResult("u", "robots_disallowed"))
    assert not is_final(FetchResult("u", "timeout")) and not is_final(FetchResult("u", "5xx"))


def test_found_messages() -> None:
    found = Found("wire", "https://w.example/a?utm_source=x", "https://w.example/a", None, None, "ar")
    assert found_from_json(found_to_json(found)) == found
    for bad, reason in [(b"[", "not_json"), (b"[]", "not_object"), (b'{"source": "s"}', "bad_found")]:
        with pytest.raises(BadRecord) as caught:
            found_from_json(bad)
        assert caught.value.reason == reason


def test_seen_table_decisions() -> None:
    assert skip_reason(None, in_flight=False) is None
    assert skip_reason(None, in_flight=True) == "in_flight"
    ok = seen_entry(FetchResult("u", "2xx"), None, "a", 1.0)
    assert ok["final"] and ok["tries"] == 1 and skip_reason(ok, in_flight=False) == "already_seen"
    entry = None
    for _ in range(3):
        entry = seen_entry(FetchResult("u", "timeout"), entry, "a", 1.0)
        assert not entry["final"]
    assert entry is not None and entry["tries"] == 3
    assert skip_reason(entry, in_flight=False, max_tries=3) == "gave_up"
    assert skip_reason(entry, in_flight=False, max_tries=4) is None


@pytest.mark.parametrize(
    ("source_lang", "feed_lang", "expected"),
    [
        ("ar", "en-US", "ar"),
        (None, "ar-SA", "ar"),
        (None, "EN_us", "en"),
        (None, "fr", None),
        (None, None, None),
    ],
)
def test_language_hint_from_source_then_feed(
    source_lang: str | None, feed_lang: str | None, expected: str | None
) -> None:
    source = Source("s", "https://w.example/rss", source_lang)
    found = entry_found(source, FeedEntry("https://w.example/1", language=feed_lang))
    assert found is not None and found.lang == expected
