"""Polling one source and fetching one article: the fetcher's work, without Kafka.

The worker (``app.py``) and the one-shot ``fetch`` command call these functions;
tests call them against a loopback HTTP server.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson

from services.fetcher.bodies import DecodeFailed, gunzip_if_gzip
from services.fetcher.feeds import (
    FeedEntry,
    FeedError,
    Listing,
    parse_feed_listing,
    parse_listing,
    parse_sitemap,
)
from services.fetcher.http import Fetcher, FetchResult
from services.fetcher.logic import LANG_HINTS
from services.fetcher.sources import Source
from services.fetcher.urls import UrlError, canonical_url
from shared.records import BadRecord, RawArticle, article_id_for

log = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
# A sitemap index may list thousands of sitemaps; a news site's fresh ones come first.
MAX_CHILD_SITEMAPS = 5
# A page that failed this many times for passing reasons (timeouts, 5xx) is left alone.
MAX_PAGE_TRIES = 3
# Outcomes after which fetching the same page again would give the same answer.
FINAL_FAILURES = frozenset(
    {
        "4xx",
        "robots_disallowed",
        "too_large",
        "blocked_address",
        "bad_url",
        "redirect_limit",
        "unsupported_type",
    }
)
# Content types worth publishing as articles (a missing type is given the benefit of the doubt).
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/octet-stream"})


class FetchedArticle(RawArticle):
    """``articles.raw`` as the fetcher writes it: a raw article and what the HTTP exchange said.

    The extra fields are unknown to older consumers, which ignore them.
    """

    canonical_url: str | None = None
    final_url: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A feed entry to fetch (``fetch.found``, keyed by canonical URL)."""

    source: str
    url: str
    canonical_url: str
    title: str | None = None
    published: str | None = None
    lang: str | None = None


def found_to_json(found: Found) -> bytes:
    """The ``fetch.found`` message for ``found``."""
    return orjson.dumps(asdict(found))


def found_from_json(raw: bytes | None) -> Found:
    """A found entry from its message; BadRecord when it is not one."""
    try:
        doc = orjson.loads(raw or b"")
    except orjson.JSONDecodeError as exc:
        raise BadRecord("not_json", str(exc)[:200]) from None
    if not isinstance(doc, dict):
        raise BadRecord("not_object", "expected a JSON object")
    required: list[Any] = [doc.get(k) for k in ("source", "url", "canonical_url")]
    if not all(isinstance(v, str) and v for v in required):
        raise BadRecord("bad_found", "source, url and canonical_url must be non-empty strings")
    optional: list[Any] = [doc.get(k) for k in ("title", "published", "lang")]
    if not all(v is None or isinstance(v, str) for v in optional):
        raise BadRecord("bad_found", "title, published and lang must be strings or null")
    return Found(*required, *optional)


@dataclass
class FeedState:
    """What the last poll of a source learnt: validators for the next conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class PollReport:
    """The outcome of polling one source: ``ok``, ``not_modified``, or a failure reason."""

    outcome: str
    found: list[Found] = field(default_factory=list)
    detail: str = ""


def entry_found(source: Source, entry: FeedEntry) -> Found | None:
    """A feed entry as work for the page fetcher, or None when its link is not a fetchable URL."""
    try:
        canonical = canonical_url(entry.link)
    except UrlError:
        return None
    lang = source.lang or lang_hint(entry.language)
    return Found(source.name, entry.link, canonical, entry.title, entry.published, lang)


def lang_hint(language: str | None) -> str | None:
    """``ar`` or ``en`` from a feed's language tag ("ar-SA", "EN_us"), else None; the source's hint wins."""
    primary = (language or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in LANG_HINTS else None


async def poll_source(fetcher: Fetcher, source: Source, state: FeedState) -> PollReport:
    """Fetch ``source`` conditionally and list its entries; never raises for a misbehaving site."""
    if source.kind == "page":
        page = entry_found(source, FeedEntry(source.url))
        return PollReport("ok", [page] if page else [])
    result = await fetcher.fetch(
        source.url, etag=state.etag, last_modified=state.last_modified, accept=FEED_ACCEPT
    )
    if result.outcome == "not_modified":
        return PollReport("not_modified")
    if not result.ok:
        return PollReport(result.outcome, detail=result.detail or str(result.status))
    state.etag, state.last_modified = result.etag, result.last_modified
    try:
        listing = _listing(source, result)
        for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
            listing.entries.extend(await _child_sitemap(fetcher, child))
    except FeedError as exc:
        # A broken document must be fetched in full again next time.
        state.etag = state.last_modified = None
        return PollReport(exc.reason, detail=exc.detail)
    if listing.warning:
        log.warning(
            "feed is malformed, entries recovered", extra={"source": source.name, "detail": listing.warning}
        )
    found = [f for f in (entry_found(source, e) for e in listing.entries) if f is not None]
    return PollReport("ok", found)


def _listing(source: Source, result: FetchResult) -> Listing:
    try:
        body = gunzip_if_gzip(result.body, gz_limit(result))
    except DecodeFailed as exc:
        raise FeedError("decode_error", str(exc)) from None
    if source.kind == "sitemap":
        return parse_sitemap(body, result.final_url or source.url)
    if source.kind == "feed":
        return parse_feed_listing(body, result.final_url or source.url)
    return parse_listing(body, result.final_url or source.url)


def gz_limit(result: FetchResult) -> int:
    """The decompression cap for a ``.gz`` document: ten times what came over the wire, a bomb's ratio is far higher."""
    return max(len(result.body) * 10, 1 << 20)


async def _child_sitemap(fetcher: Fetcher, url: str) -> list[FeedEntry]:
    result = await fetcher.fetch(url, accept=FEED_ACCEPT)
    if not result.ok:
        log.warning("child sitemap failed", extra={"url": url, "outcome": result.outcome})
        return []
    body = gunzip_if_gzip(result.body, gz_limit(result))
    return parse_sitemap(body, result.final_url or url).entries


def article_from(found: Found, result: FetchResult, *, fetched_at: float) -> FetchedArticle:
    """The raw record for a page fetched for ``found``."""
    return FetchedArticle(
        article_id=article_id_for(found.canonical_url),
        url=found.url,
        canonical_url=found.canonical_url,
        final_url=result.final_url or found.url,
        body_b64=base64.b64encode(result.body).decode("ascii"),
        charset=result.charset,
        content_type=result.content_type,
        last_modified=result.last_modified,
        title=found.title,
        published=found.published,
        lang=found.lang,
        source=found.source,
        http_status=result.status,
        fetched_at=fetched_at,
        entered_at=fetched_at,
    )


async def fetch_article(
    fetcher: Fetcher, found: Found, *, now: float
) -> tuple[FetchedArticle | None, FetchResult]:
    """Fetch the page of ``found``: the raw record (None on failure) and the fetch result."""
    result = await fetcher.fetch(found.url)
    if not result.ok:
        return None, result
    if not result.body.strip():
        return None, FetchResult(
            found.url, "decode_error", result.final_url, result.status, detail="empty body"
        )
    if result.content_type and result.content_type not in PAGE_TYPES:
        # PDFs, images, video: nothing the parser can read; not worth a dead letter downstream.
        detail = f"content type {result.content_type}"
        return None, FetchResult(
            found.url, "unsupported_type", result.final_url, result.status, detail=detail
        )
    return article_from(found, result, fetched_at=now), result


def is_final(result: FetchResult) -> bool:
    """True when the page need not be tried again: fetched, or failed in a way retrying will not fix."""
    return result.ok or result.outcome in FINAL_FAILURES


def skip_reason(prior: dict[str, Any] | None, in_flight: bool, max_tries: int = MAX_PAGE_TRIES) -> str | None:
    """Why an entry is not fetched now (``already_seen``, ``gave_up``, ``in_flight``), or None to fetch it."""
    prior = prior or {}
    if prior.get("final"):
        return "already_seen"
    if prior.get("tries", 0) >= max_tries:
        return "gave_up"
    if in_flight:  # listed by two feeds at once: the other fetch decides
        return "in_flight"
    return None


def seen_entry(result: FetchResult, prior: dict[str, Any] | None, source: str, now: float) -> dict[str, Any]:
    """What the seen table keeps of a fetch attempt: outcome, whether it is final, tries so far."""
    return {
        "outcome": result.outcome,
        "final": is_final(result),
        "tries": (prior or {}).get("tries", 0) + 1,
        "source": source,
        "at": now,
    }
