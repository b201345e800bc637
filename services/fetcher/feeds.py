"""Entries of RSS 0.9x/1.0/2.0 and Atom feeds (feedparser) and of (news) sitemaps, parsed safely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from services.fetcher.urls import resolve_link

# An entity declaration is how "billion laughs" and external-entity attacks start;
# no real feed needs one.
ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
SITEMAP_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(urlset|sitemapindex)[\s>]")
# The head of a document is enough to tell a sitemap from a feed.
SNIFF_BYTES = 4096


class FeedError(ValueError):
    """A feed or sitemap that cannot be read (malformed, unsafe), with a short reason code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed or sitemap: where the article is, and what the feed says of it."""

    link: str
    title: str | None = None
    published: str | None = None
    # What the feed says the language is (<language>, news:language), as given: "ar-SA", "en".
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What a feed or sitemap lists: articles, and (sitemap indexes) further sitemaps."""

    entries: list[FeedEntry]
    sitemaps: list[str]
    # Set when the document was broken but entries could be recovered from it.
    warning: str | None = None


def check_safe_xml(body: bytes) -> None:
    """Raise FeedError("unsafe_xml") for documents declaring entities (XML bombs, external entities)."""
    if ENTITY_DECL.search(body):
        raise FeedError("unsafe_xml", "entity declarations are refused")


def is_sitemap(body: bytes) -> bool:
    """True when ``body`` looks like a sitemap (``<urlset>`` or ``<sitemapindex>``) rather than a feed."""
    return SITEMAP_ROOT.search(body[:SNIFF_BYTES]) is not None


def parse_listing(body: bytes, base_url: str) -> Listing:
    """Entries of a feed or sitemap (sniffed from the content); FeedError when there are none to read."""
    check_safe_xml(body)
    if is_sitemap(body):
        return parse_sitemap(body, base_url)
    return parse_feed_listing(body, base_url)


def parse_feed(body: bytes, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS or Atom feed, in feed order; FeedError for a document that is no feed."""
    return parse_feed_listing(body, base_url).entries


def parse_feed_listing(body: bytes, base_url: str) -> Listing:
    """Entries of an RSS or Atom feed, with a warning when they were recovered from broken XML."""
    import feedparser  # imported here: the publish CLI does not need it

    check_safe_xml(body)
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    problem = f"{type(error).__name__}: {error}"[:300] if error else None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or _first_href(entry)
        if not link:
            continue
        published = entry.get("published") or entry.get("updated")
        language = entry.get("language") or parsed.feed.get("language")
        entries.append(FeedEntry(resolve_link(base_url, link), entry.get("title"), published, language))
    if not entries and (problem or not parsed.get("version")):
        raise FeedError("malformed_feed", problem or "no feed found")
    return Listing(entries, [], problem)


def _first_href(entry: dict[str, object]) -> str | None:
    links = entry.get("links")
    if isinstance(links, list):
        for link in links:
            if isinstance(link, dict) and link.get("href"):
                return str(link["href"])
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(node: Element, name: str) -> str | None:
    for child in node.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes, base_url: str) -> Listing:
    """URLs of a sitemap (with news:title and news:publication_date when given) or of a sitemap index."""
    try:
        root = safe_fromstring(body, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise FeedError("unsafe_xml", type(exc).__name__) from None
    except ParseError as exc:
        raise FeedError("malformed_sitemap", str(exc)[:300]) from None
    entries: list[FeedEntry] = []
    sitemaps: list[str] = []
    for node in root:
        kind = _local(node.tag)
        loc = _child_text(node, "loc")
        if not loc:
            continue
        if kind == "sitemap":
            sitemaps.append(resolve_link(base_url, loc))
        elif kind == "url":
            title = _child_text(node, "title")
            published = _child_text(node, "publication_date") or _child_text(node, "lastmod")
            language = _child_text(node, "language")
            entries.append(FeedEntry(resolve_link(base_url, loc), title, published, language))
    return Listing(entries, sitemaps)
