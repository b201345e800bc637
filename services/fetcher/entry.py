"""The fetcher's pure per-message functions: what it reads from topics, feeds and publish files.

Each takes bytes and returns records, or raises :class:`shared.records.BadRecord`
with a reason; the fuzz harness (``tools/fuzz.py``) calls them directly. The
network side (``http``, ``crawl``) is not here: only what parses hostile bytes.
"""

from __future__ import annotations

import orjson

from services.fetcher.bodies import DecodeFailed, TooLarge, gunzip_if_gzip
from services.fetcher.crawl import Found, found_from_json
from services.fetcher.feeds import FeedEntry, FeedError, parse_listing
from services.fetcher.logic import InputError, raw_from_json
from services.fetcher.sources import Source, source_from_json
from shared.records import BadRecord, RawArticle


def source(value: bytes, *, min_interval_s: float) -> list[Source]:
    """The source of one ``fetch.sources`` message."""
    return [source_from_json(value, min_interval_s=min_interval_s)]


def found(value: bytes) -> list[Found]:
    """The entry of one ``fetch.found`` message."""
    return [found_from_json(value)]


def listing(body: bytes, base_url: str, *, max_bytes: int) -> list[FeedEntry]:
    """Entries (and child sitemaps, as entries) of a feed or sitemap body, gzipped or not."""
    try:
        data = gunzip_if_gzip(body, max_bytes)
        result = parse_listing(data, base_url)
    except FeedError as exc:
        raise BadRecord(exc.reason, exc.detail) from None
    except TooLarge as exc:
        raise BadRecord("too_large", str(exc)) from None
    except DecodeFailed as exc:
        raise BadRecord("decode_error", str(exc)[:200]) from None
    return [*result.entries, *(FeedEntry(url) for url in result.sitemaps)]


def published_line(value: bytes, *, entered_at: float) -> list[RawArticle]:
    """The raw article of one JSON Lines line given to ``publish``."""
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadRecord("not_json", str(exc)[:200]) from None
    try:
        return [raw_from_json(obj, where="line", entered_at=entered_at)]
    except InputError as exc:
        raise BadRecord("bad_input", exc.reason) from None
