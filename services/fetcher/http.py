"""A polite, bounded HTTP client: robots.txt, per-host pacing, retries, size and time limits, SSRF guard.

aiohttp only (no Kafka, no metrics library): what happened to each attempt is
reported to an :class:`Observer` the wiring provides.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver

from services.fetcher.bodies import CHUNK, DecodeFailed, TooLarge, decompress, read_capped
from services.fetcher.netguard import AddressPolicy, BlockedAddress, GuardedResolver
from services.fetcher.politeness import HostGate, backoff_delay, retry_after_seconds
from services.fetcher.robots import MAX_ROBOTS_BYTES, RobotsCache, product_token, rules_from_response
from services.fetcher.urls import UrlError, check_http_url, host_of, origin_of
from shared.settings import Settings

log = logging.getLogger(__name__)

# Every outcome an attempt can have: the fixed label set of the requests metric.
OUTCOMES = (
    "2xx",
    "3xx",
    "4xx",
    "5xx",
    "not_modified",
    "timeout",
    "robots_disallowed",
    "too_large",
    "redirect_limit",
    "blocked_address",
    "bad_url",
    "connection_error",
    "decode_error",
    "deferred",
)
RETRYABLE = frozenset({"5xx", "timeout", "connection_error"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A Retry-After is never honoured for longer than an hour: a pause, not a ban.
MAX_PAUSE_S = 3600.0
# Crawl-delay above a minute would make a news site useless; cap it.
MAX_CRAWL_DELAY_S = 60.0


@dataclass(frozen=True)
class FetchConfig:
    """Limits and manners of the client (from :class:`shared.settings.Settings`)."""

    user_agent: str = "wirecount/0.1"
    timeout_s: float = 20.0
    max_body_bytes: int = 750_000
    max_redirects: int = 5
    retries: int = 3
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    max_retry_after_s: float = 120.0
    host_concurrency: int = 2
    host_interval_s: float = 1.0
    robots_ttl_s: float = 3600.0
    allow_hosts: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchConfig:
        """The fetch settings of a :class:`shared.settings.Settings`."""
        return cls(
            user_agent=settings.user_agent,
            timeout_s=settings.fetch_timeout_s,
            max_body_bytes=settings.fetch_max_body_bytes,
            max_redirects=settings.fetch_max_redirects,
            retries=settings.fetch_retries,
            backoff_base_s=settings.fetch_backoff_base_s,
            backoff_max_s=settings.fetch_backoff_max_s,
            max_retry_after_s=settings.fetch_max_retry_after_s,
            host_concurrency=settings.fetch_host_concurrency,
            host_interval_s=settings.fetch_host_interval_s,
            robots_ttl_s=settings.fetch_robots_ttl_s,
            allow_hosts=settings.fetch_allow_hosts,
        )


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetching one URL (after redirects and retries)."""

    url: str
    outcome: str
    final_url: str = ""
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    charset: str | None = None
    last_modified: str | None = None
    etag: str | None = None
    retry_after_s: float | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True for a 2xx answer with its body."""
        return self.outcome == "2xx"


class Observer(Protocol):
    """Told about every attempt; the worker turns this into metrics."""

    def request(self, outcome: str, elapsed_s: float, received_bytes: int) -> None:
        """Called once per attempt with its outcome (one of OUTCOMES)."""


class NullObserver:
    """An observer that ignores everything."""

    def request(self, outcome: str, elapsed_s: float, received_bytes: int) -> None:
        """Ignore the attempt."""


def status_class(status: int) -> str:
    """``"2xx"``, ``"4xx"``, ... for an HTTP status."""
    return f"{min(max(status // 100, 1), 5)}xx"


@dataclass
class Fetcher:
    """Fetch pages the way a crawler a site operator would not block does."""

    config: FetchConfig
    observer: Observer = field(default_factory=NullObserver)
    rng: Callable[[], float] = random.random
    # The DNS resolver under the address guard (tests give a fake one).
    inner_resolver: AbstractResolver | None = None
    gate: HostGate = field(init=False)
    robots: RobotsCache = field(init=False)
    policy: AddressPolicy = field(init=False)
    _session: aiohttp.ClientSession | None = field(default=None, init=False)
    _robots_locks: dict[str, asyncio.Lock] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.gate = HostGate(self.config.host_concurrency, self.config.host_interval_s)
        self.robots = RobotsCache(self.config.robots_ttl_s)
        self.policy = AddressPolicy.from_entries(self.config.allow_hosts)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def session(self) -> aiohttp.ClientSession:
        """The shared HTTP session, created on first use (inside the running loop)."""
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(
                total=self.config.timeout_s, connect=min(10.0, self.config.timeout_s)
            )
            connector = aiohttp.TCPConnector(
                resolver=GuardedResolver(self.policy, self.inner_resolver), limit=100
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=timeout,
                auto_decompress=False,  # we decompress, with a cap
                trust_env=False,  # no proxy from the environment: the guard must see the real target
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            )
        return self._session

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """Fetch ``url`` conditionally, retrying 429/5xx/timeouts with backoff; never raises for HTTP trouble."""
        headers = {"Accept": accept or "text/html,application/xhtml+xml,*/*;q=0.8"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            attempt += 1
            result = await self._attempt(url, headers)
            retry = result.outcome in RETRYABLE or result.status == 429
            if not retry or attempt > self.config.retries:
                return result
            delay = result.retry_after_s
            if delay is None:
                delay = backoff_delay(
                    attempt, self.config.backoff_base_s, self.config.backoff_max_s, self.rng
                )
            elif delay > self.config.max_retry_after_s:
                log.warning("retry-after too long, giving up", extra={"url": url, "retry_after_s": delay})
                return result
            log.info(
                "retrying",
                extra={"url": url, "outcome": result.outcome, "status": result.status, "wait_s": delay},
            )
            await asyncio.sleep(delay)

    async def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        started = time.perf_counter()
        result, received = await self._follow(url, headers, robots=True, limit=self.config.max_body_bytes)
        self.observer.request(result.outcome, time.perf_counter() - started, received)
        return result

    async def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool, limit: int
    ) -> tuple[FetchResult, int]:
        """One attempt: follow redirects (each hop checked like the first), return result and bytes received."""
        current, seen, received = url, set[str](), 0
        for _ in range(self.config.max_redirects + 1):
            try:
                check_http_url(current)
                self.policy.check_literal(current)
            except UrlError as exc:
                return FetchResult(url, "bad_url", current, detail=str(exc)), received
            except BlockedAddress as exc:
                return FetchResult(url, "blocked_address", current, detail=str(exc)), received
            if robots:
                refused = await self._robots_refusal(current)
                if refused:
                    return FetchResult(url, refused[0], current, detail=refused[1]), received
            paused = self.gate.paused_for(host_of(current))
            if paused > self.config.max_retry_after_s:
                return FetchResult(url, "deferred", current, detail=f"host paused {paused:.0f} s"), received
            seen.add(current)
            result, location, size = await self._request(url, current, headers, limit)
            received += size
            if location is None:
                return result, received
            current = urljoin(current, location)
            if current in seen:
                return FetchResult(url, "redirect_limit", current, detail="redirect loop"), received
        return FetchResult(url, "redirect_limit", current, detail="too many redirects"), received

    async def _request(
        self, url: str, current: str, headers: dict[str, str], limit: int
    ) -> tuple[FetchResult, str | None, int]:
        """One HTTP exchange: (result, redirect location or None, bytes received)."""
        host = host_of(current)
        async with self.gate.slot(host):
            try:
                async with self.session().get(current, headers=headers, allow_redirects=False) as resp:
                    return await self._read(url, current, resp, limit)
            except TimeoutError:
                return FetchResult(url, "timeout", current, detail="timed out"), None, 0
            except aiohttp.ClientConnectorError as exc:
                cause = exc.os_error if isinstance(exc.os_error, BlockedAddress) else exc.__cause__
                if isinstance(cause, BlockedAddress):
                    return FetchResult(url, "blocked_address", current, detail=str(cause)), None, 0
                return FetchResult(url, "connection_error", current, detail=str(exc)[:300]), None, 0
            except (aiohttp.ClientError, OSError) as exc:
                return FetchResult(url, "connection_error", current, detail=repr(exc)[:300]), None, 0

    async def _read(
        self, url: str, current: str, resp: aiohttp.ClientResponse, limit: int
    ) -> tuple[FetchResult, str | None, int]:
        status = resp.status
        meta: dict[str, Any] = {
            "final_url": current,
            "status": status,
            "content_type": resp.content_type if resp.headers.get("Content-Type") else None,
            "charset": resp.charset,
            "last_modified": resp.headers.get("Last-Modified"),
            "etag": resp.headers.get("ETag"),
        }
        if status in REDIRECTS and resp.headers.get("Location"):
            return FetchResult(url, "3xx", **meta), resp.headers["Location"], 0
        if status == 304:
            return FetchResult(url, "not_modified", **meta), None, 0
        if status >= 300:
            if status in (429, 503):
                wait = retry_after_seconds(resp.headers.get("Retry-After"), time.time())
                if wait is not None:
                    self.gate.pause(host_of(current), min(wait, MAX_PAUSE_S))
                    meta["retry_after_s"] = wait
            return FetchResult(url, status_class(status), **meta, detail=resp.reason or ""), None, 0
        declared = resp.content_length
        if declared is not None and declared > limit:
            return FetchResult(url, "too_large", **meta, detail=f"Content-Length {declared}"), None, 0
        try:
            wire = await read_capped(resp.content.iter_chunked(CHUNK), limit)
            body = decompress(wire, resp.headers.get("Content-Encoding"), limit)
        except TooLarge as exc:
            return FetchResult(url, "too_large", **meta, detail=str(exc)), None, limit
        except DecodeFailed as exc:
            return FetchResult(url, "decode_error", **meta, detail=str(exc)), None, 0
        return FetchResult(url, "2xx", **meta, body=body), None, len(wire)

    async def _robots_refusal(self, url: str) -> tuple[str, str] | None:
        """None when robots.txt lets us fetch ``url``, else the outcome that stops it and why."""
        origin = origin_of(url)
        rules = self.robots.get(origin)
        if rules is None:
            lock = self._robots_locks.setdefault(origin, asyncio.Lock())
            async with lock:
                rules = self.robots.get(origin)
                if rules is None:
                    started = time.perf_counter()
                    result, received = await self._follow(
                        origin + "/robots.txt", {"Accept": "text/plain"}, robots=False, limit=MAX_ROBOTS_BYTES
                    )
                    self.observer.request(result.outcome, time.perf_counter() - started, received)
                    if result.outcome in ("blocked_address", "bad_url"):
                        return result.outcome, f"robots.txt: {result.detail}"
                    status = result.status if result.outcome not in ("timeout", "connection_error") else None
                    rules = rules_from_response(status, result.body)
                    self.robots.put(origin, rules)
        agent = product_token(self.config.user_agent)
        delay = rules.crawl_delay(agent)
        if delay:
            self.gate.set_delay(host_of(url), min(delay, MAX_CRAWL_DELAY_S))
        return None if rules.allowed(agent, url) else ("robots_disallowed", "robots.txt")
