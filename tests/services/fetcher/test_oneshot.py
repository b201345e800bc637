from __future__ import annotations

import asyncio

from services.fetcher.oneshot import fetch_urls
from tests.services.fetcher.site import Site, article
from tests.services.fetcher.test_http import CONFIG


def test_fetch_urls_reports_each_url_in_order() -> None:
    async def go() -> list[tuple[str, bool, str]]:
        async with Site() as site:
            site.static("/a", article("A"))
            urls = [site.url("/a?utm_source=x"), site.url("/missing"), "ftp://w.example/x"]
            results = await fetch_urls(urls, CONFIG, lang="en")
            return [
                (url.rsplit("/", 1)[-1], article is not None, error) for url, article, _, error in results
            ]

    a, missing, ftp = asyncio.run(go())
    assert a == ("a?utm_source=x", True, "")
    assert missing[1] is False and missing[2].startswith("4xx 404")
    assert ftp[1] is False and "not http" in ftp[2]


def test_fetched_record_is_keyed_by_canonical_url() -> None:
    async def go() -> tuple[str | None, str | None, str | None]:
        async with Site() as site:
            site.static("/a", article("A"))
            [(_, record, _, _)] = await fetch_urls(
                [site.url("/a?utm_source=x#top")], CONFIG, source="manual", lang="ar"
            )
            assert record is not None
            return record.canonical_url, record.source, record.lang

    canonical, source, lang = asyncio.run(go())
    assert canonical is not None and canonical.endswith("/a")
    assert (source, lang) == ("manual", "ar")
