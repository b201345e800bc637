"""The HTTP client against a real loopback server: every misbehaviour a site can show."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

import brotli
import pytest
from aiohttp import web

from services.fetcher.http import FetchConfig, Fetcher, FetchResult
from tests.services.fetcher.site import Site, article

CONFIG = FetchConfig(
    user_agent="wirecount-test/1.0",
    timeout_s=1.0,
    max_body_bytes=10_000,
    max_redirects=3,
    retries=2,
    backoff_base_s=0.05,
    backoff_max_s=0.2,
    max_retry_after_s=5.0,
    host_concurrency=2,
    host_interval_s=0.0,
    allow_hosts=("127.0.0.1",),
)


class Recorder:
    """An observer keeping every attempt's outcome."""

    def __init__(self) -> None:
        self.outcomes: list[str] = []
        self.bytes = 0
        self.elapsed = 0.0

    def request(self, outcome: str, elapsed_s: float, received_bytes: int) -> None:
        self.outcomes.append(outcome)
        self.bytes += received_bytes


def run(
    setup: Callable[[Site], None],
    path: str,
    config: FetchConfig = CONFIG,
    *,
    url: str | None = None,
    **kwargs: str,
) -> tuple[FetchResult, Site, Recorder]:
    """Serve what ``setup`` declares, fetch ``path`` (or ``url``) once, return result, site, attempts."""
    recorder = Recorder()

    async def go() -> FetchResult:
        async with Site() as site:
            setup(site)
            holder.append(site)
            async with Fetcher(config, observer=recorder) as fetcher:
                started = time.monotonic()
                result = await fetcher.fetch(url or site.url(path), **kwargs)
                recorder.elapsed = time.monotonic() - started
                return result

    holder: list[Site] = []
    result = asyncio.run(go())
    return result, holder[0], recorder


def test_plain_page_has_body_headers_and_user_agent() -> None:
    def setup(site: Site) -> None:
        site.static("/a", article("A"), **{"Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT", "ETag": '"v1"'})

    result, site, recorder = run(setup, "/a")
    assert result.ok and result.status == 200
    assert b"Text of A" in result.body
    assert result.content_type == "text/html" and result.charset == "utf-8"
    assert result.etag == '"v1"' and (result.last_modified or "").startswith("Tue, 24 Nov")
    ua = [h.get("User-Agent") for p, h in site.headers if p == "/a"]
    assert ua == ["wirecount-test/1.0"]
    assert site.hits["/robots.txt"] == 1  # asked first
    assert recorder.outcomes == ["4xx", "2xx"]  # robots.txt 404, then the page


def test_etag_gives_not_modified() -> None:
    def setup(site: Site) -> None:
        site.static("/feed", "<rss/>", "application/rss+xml", ETag='"abc"')

    result, site, _ = run(setup, "/feed", etag='"abc"')
    assert result.outcome == "not_modified" and result.status == 304 and result.body == b""


def test_if_modified_since_is_sent() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        if request.headers.get("If-Modified-Since") == "Tue, 24 Nov 2026 10:00:00 GMT":
            return web.Response(status=304)
        return web.Response(text="new")

    result, _, _ = run(lambda s: s.route("/f", handler), "/f", last_modified="Tue, 24 Nov 2026 10:00:00 GMT")
    assert result.outcome == "not_modified"


def flaky(
    statuses: list[int], headers: dict[str, str] | None = None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """A handler answering each status in turn, then 200."""
    remaining = list(statuses)

    async def handler(request: web.Request) -> web.Response:
        if remaining:
            return web.Response(status=remaining.pop(0), headers=headers or {})
        return web.Response(text=article("finally"), content_type="text/html")

    return handler


def test_503_then_success_is_retried() -> None:
    result, site, recorder = run(lambda s: s.route("/p", flaky([503])), "/p")
    assert result.ok
    assert site.hits["/p"] == 2
    assert recorder.outcomes[-2:] == ["5xx", "2xx"]


def test_429_with_retry_after_waits_that_long() -> None:
    result, site, recorder = run(lambda s: s.route("/p", flaky([429], {"Retry-After": "1"})), "/p")
    assert result.ok and site.hits["/p"] == 2
    assert recorder.elapsed >= 1.0


def test_retry_after_beyond_the_limit_gives_up_at_once() -> None:
    result, site, _ = run(lambda s: s.route("/p", flaky([429], {"Retry-After": "3600"})), "/p")
    assert result.outcome == "4xx" and result.status == 429 and result.retry_after_s == 3600
    assert site.hits["/p"] == 1


def test_persistent_5xx_stops_after_the_retries() -> None:
    result, site, recorder = run(lambda s: s.route("/p", flaky([500] * 10)), "/p")
    assert result.outcome == "5xx" and site.hits["/p"] == CONFIG.retries + 1
    assert recorder.outcomes.count("5xx") == CONFIG.retries + 1


def test_slow_response_times_out() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1.5)
        return web.Response(text="late")

    config = replace(CONFIG, retries=0, timeout_s=0.3)
    result, _, recorder = run(lambda s: s.route("/slow", slow), "/slow", config)
    assert result.outcome == "timeout"
    assert recorder.elapsed < 1.5
    assert recorder.outcomes[-1] == "timeout"


def test_slow_but_in_time_is_fine() -> None:
    async def slowish(request: web.Request) -> web.Response:
        await asyncio.sleep(0.2)
        return web.Response(text="ok")

    result, _, _ = run(lambda s: s.route("/s", slowish), "/s")
    assert result.ok


def test_body_over_the_limit_by_content_length() -> None:
    result, _, _ = run(lambda s: s.static("/big", "x" * 20_000), "/big")
    assert result.outcome == "too_large" and "Content-Length" in result.detail


def test_streamed_body_over_the_limit_is_cut() -> None:
    async def stream(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)  # chunked: no Content-Length to refuse up front
        for _ in range(50):
            await resp.write(b"y" * 1000)
        await resp.write_eof()
        return resp

    result, _, _ = run(lambda s: s.route("/stream", stream), "/stream")
    assert result.outcome == "too_large"


@pytest.mark.parametrize(("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compressed_bodies_are_decoded(encoding: str, compress: Callable[[bytes], bytes]) -> None:
    page = article("squeezed").encode()

    async def handler(request: web.Request) -> web.Response:
        assert encoding in request.headers["Accept-Encoding"]
        return web.Response(
            body=compress(page), headers={"Content-Encoding": encoding, "Content-Type": "text/html"}
        )

    result, _, _ = run(lambda s: s.route("/z", handler), "/z")
    assert result.ok and result.body == page


@pytest.mark.parametrize(("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_decompression_bomb_is_too_large(encoding: str, compress: Callable[[bytes], bytes]) -> None:
    bomb = compress(b"\0" * 5_000_000)  # a few kB on the wire, 5 MB unpacked
    assert len(bomb) < CONFIG.max_body_bytes

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": encoding})

    result, _, _ = run(lambda s: s.route("/bomb", handler), "/bomb")
    assert result.outcome == "too_large"


def test_redirects_are_followed() -> None:
    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/new")

    def setup(site: Site) -> None:
        site.route("/old", moved)
        site.static("/new", article("new"))

    result, _, _ = run(setup, "/old")
    assert result.ok and result.final_url.endswith("/new")


def test_redirect_loop_is_stopped() -> None:
    async def a(request: web.Request) -> web.Response:
        raise web.HTTPFound("/b")

    async def b(request: web.Request) -> web.Response:
        raise web.HTTPFound("/a")

    def setup(site: Site) -> None:
        site.route("/a", a)
        site.route("/b", b)

    result, site, _ = run(setup, "/a")
    assert result.outcome == "redirect_limit" and "loop" in result.detail
    assert site.hits["/a"] == 1 and site.hits["/b"] == 1


def test_redirect_chain_over_the_limit() -> None:
    async def hop(request: web.Request) -> web.Response:
        n = int(request.path.rsplit("/", 1)[1])
        raise web.HTTPFound(f"/r/{n + 1}")

    def setup(site: Site) -> None:
        for n in range(10):
            site.route(f"/r/{n}", hop)

    result, site, _ = run(setup, "/r/0")
    assert result.outcome == "redirect_limit" and "too many" in result.detail
    assert sum(site.hits[f"/r/{n}"] for n in range(10)) == CONFIG.max_redirects + 1


def test_robots_disallow_is_honoured_and_cached() -> None:
    robots = "User-agent: wirecount-test\nDisallow: /private\n\nUser-agent: *\nDisallow:\n"

    async def go() -> list[FetchResult]:
        async with Site() as site:
            site.static("/robots.txt", robots, "text/plain")
            site.static("/private/x", article("secret"))
            site.static("/public", article("open"))
            async with Fetcher(CONFIG) as fetcher:
                results = [await fetcher.fetch(site.url(p)) for p in ("/private/x", "/public", "/private/x")]
            assert site.hits["/private/x"] == 0
            assert site.hits["/robots.txt"] == 1
            return results

    results = asyncio.run(go())
    assert [r.outcome for r in results] == ["robots_disallowed", "2xx", "robots_disallowed"]


def test_robots_5xx_closes_the_site_for_now() -> None:
    def setup(site: Site) -> None:
        site.route("/robots.txt", flaky([500] * 10))
        site.static("/a", article("A"))

    result, site, _ = run(setup, "/a")
    assert result.outcome == "robots_disallowed" and site.hits["/a"] == 0


def test_per_host_concurrency_is_capped() -> None:
    async def slowish(request: web.Request) -> web.Response:
        await asyncio.sleep(0.1)
        return web.Response(text="ok")

    async def go() -> int:
        async with Site() as site:
            for n in range(6):
                site.route(f"/p{n}", slowish)
            async with Fetcher(CONFIG) as fetcher:
                results = await asyncio.gather(*(fetcher.fetch(site.url(f"/p{n}")) for n in range(6)))
            assert all(r.ok for r in results)
            return site.max_active

    assert asyncio.run(go()) <= CONFIG.host_concurrency


def test_requests_to_one_host_are_spaced() -> None:
    config = replace(CONFIG, host_interval_s=0.2)

    async def go() -> float:
        async with Site() as site:
            site.static("/a", "a")
            site.static("/b", "b")
            async with Fetcher(config) as fetcher:
                await fetcher.fetch(site.url("/a"))  # robots.txt, then /a
                started = time.monotonic()
                await fetcher.fetch(site.url("/b"))
                return time.monotonic() - started

    assert asyncio.run(go()) >= 0.15


def test_a_host_paused_for_long_is_deferred_without_a_request() -> None:
    async def go() -> tuple[list[str], int]:
        async with Site() as site:
            site.route("/p", flaky([503] * 10, {"Retry-After": "600"}))
            site.static("/q", article("Q"))
            async with Fetcher(CONFIG) as fetcher:
                first = await fetcher.fetch(site.url("/p"))
                second = await fetcher.fetch(site.url("/q"))
            return [first.outcome, second.outcome], site.hits["/q"]

    outcomes, hits = asyncio.run(go())
    assert outcomes == ["5xx", "deferred"]
    assert hits == 0
