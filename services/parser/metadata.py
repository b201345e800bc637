"""Page metadata from the HTML tree: title, canonical URL, site name, declared dates and language.

Everything is read in one pass over ``<meta>``, ``<link>`` and JSON-LD blocks;
the choices between candidates are the small named functions below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import orjson
from lxml.html import HtmlElement

from shared.textnorm import normalize

# JSON-LD types that describe the article itself (schema.org).
_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "blogposting",
        "liveblogposting",
    }
    | {"backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "webpage", "socialmediaposting"}
)

# JSON-LD types of pages that list other pages.
_INDEX_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})

# <meta> names and properties that carry a publication date, best first.
DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)

# Separators between a headline and the site name in <title>.
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—•«»]{1,2}|::)\s+")

# Titles shorter than this are a section name or a logo, not a headline.
_MIN_HEADLINE = 12


@dataclass
class PageMeta:
    """What the page says about itself."""

    title: str | None = None
    site: str | None = None
    canonical_url: str | None = None
    html_lang: str | None = None
    og_type: str | None = None
    kind: str | None = None  # "article" or "index" when the markup says so
    dates: list[tuple[str, str]] = field(default_factory=list)  # (raw value, source), best first
    h1: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_meta(tree: HtmlElement, url: str | None) -> PageMeta:
    """Collect title, site, canonical URL, declared dates and language of the page."""
    metas = _meta_tags(tree)
    articles, sites, index_types = _json_ld(tree)
    meta = PageMeta(html_lang=(tree.get("lang") or tree.get("xml:lang") or metas.get("og:locale") or None))
    meta.og_type = metas.get("og:type")
    meta.h1 = [_clean(h.text_content()) for h in tree.iter("h1")]
    meta.h1 = [h for h in meta.h1 if h]
    title_tag = next((_clean(t.text_content()) for t in tree.iter("title")), "")
    meta.site = _first(metas.get("og:site_name"), *(_name(a.get("publisher")) for a in articles), *sites)
    meta.title = choose_title(
        _first(metas.get("og:title"), metas.get("twitter:title")),
        _first(*(_text(a.get("headline")) for a in articles)),
        meta.h1,
        title_tag,
        meta.site,
    )
    meta.canonical_url = choose_canonical(_canonical_candidates(tree, metas, articles), url, meta.warnings)
    meta.site = meta.site or host_of(meta.canonical_url)
    meta.dates = [(v, "jsonld") for v in (_text(a.get("datePublished")) for a in articles) if v]
    meta.dates += [(metas[name], "meta") for name in DATE_META if metas.get(name)]
    meta.kind = page_kind(meta.og_type, articles, index_types, bool(meta.dates))
    return meta


def page_kind(
    og_type: str | None, articles: list[dict[str, Any]], index_types: set[str], dated: bool
) -> str | None:
    """ "article" if the markup declares one (sites often leave og:type "website" on articles, so
    article signals win), "index" if it declares a listing, None if it says neither."""
    if (og_type or "").lower().startswith("article") or dated or any(_is_article(a) for a in articles):
        return "article"
    if (og_type or "").lower() == "website" or index_types:
        return "index"
    return None


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    return any(
        isinstance(k, str) and k.lower() != "webpage" for k in (kinds if isinstance(kinds, list) else [kinds])
    )


def choose_title(
    social: str | None, headline: str | None, h1: list[str], title_tag: str, site: str | None
) -> str | None:
    """The headline: social-card title, JSON-LD headline, the page's only <h1>, then <title>."""
    for candidate in (social, headline):
        if candidate:
            return strip_site(candidate, site, guess=False)
    if len(h1) == 1 and len(h1[0]) >= _MIN_HEADLINE and h1[0] != site:
        return h1[0]
    return strip_site(title_tag, site, guess=True) if title_tag else None


def strip_site(title: str, site: str | None, *, guess: bool) -> str:
    """Remove the site name from a title like "Headline | Site".

    With ``guess``, a title of two parts whose shorter part is short loses it even
    when the site name is unknown (old sites put "Paper name - Headline" in <title>).
    """
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    if site:
        key = normalize(site).text
        kept = [p for p in parts if normalize(p).text != key]
        if kept and len(kept) < len(parts):
            return _join_like(title, kept)
    shorter, longer = sorted(parts, key=len) if len(parts) == 2 else ("", "")
    if guess and shorter and len(shorter) <= 40 and len(shorter) * 2 <= len(longer):
        return longer
    return title


def choose_canonical(candidates: list[str], url: str | None, warnings: list[str]) -> str | None:
    """The first absolute http(s) candidate, resolved against ``url``; the page URL otherwise."""
    page = normalise_url(url)
    for href in candidates:
        absolute = _absolute(href, url)
        if not absolute:
            continue
        if page and _is_root(absolute) and not _is_root(page):
            warnings.append("canonical_is_root")  # a CMS bug: every page claims the home page
            continue
        return absolute
    return page


def _canonical_candidates(
    tree: HtmlElement, metas: dict[str, str], articles: list[dict[str, Any]]
) -> list[str]:
    out = [
        link.get("href", "")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    if metas.get("og:url"):
        out.append(metas["og:url"])
    for article in articles:
        for key in ("mainEntityOfPage", "url"):
            value = article.get(key)
            value = value.get("@id") if isinstance(value, dict) else value
            if isinstance(value, str):
                out.append(value)
    return out


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def normalise_url(url: str | None) -> str | None:
    """``url`` in the form canonical URLs are given here (lower-case host, no fragment), None if not http(s)."""
    return _absolute(url, None) if url else None


def _absolute(href: str, base: str | None) -> str | None:
    """``href`` made absolute, without its fragment; None unless http(s) with a host."""
    href = href.strip()
    if not href:
        return None
    try:
        parts = urlsplit(urljoin(base or "", href))
    except ValueError:  # "http://[::1": an unclosed IPv6 host in a page's own markup
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` content by lower-cased name, property or itemprop; the first one wins."""
    out: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _json_ld(tree: HtmlElement) -> tuple[list[dict[str, Any]], list[str], set[str]]:
    """Article objects, WebSite/Organization names and listing types from every JSON-LD block."""
    articles: list[dict[str, Any]] = []
    sites: list[str] = []
    index_types: set[str] = set()
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = orjson.loads(script.text.strip())
        except orjson.JSONDecodeError:
            continue  # hand-written JSON-LD is often invalid; the rest of the page still counts
        for obj in _objects(data):
            kinds = obj.get("@type")
            kinds = {k.lower() for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
            index_types |= kinds & _INDEX_TYPES
            if kinds & _ARTICLE_TYPES:
                articles.append(obj)
            elif kinds & {"website", "newsmediaorganization", "organization"} and _name(obj):
                sites.append(_name(obj) or "")
    # NewsArticle before WebPage: the page wrapper rarely has the article's own dates.
    articles.sort(key=lambda o: "webpage" in str(o.get("@type")).lower())
    return articles, sites, index_types


def _objects(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """The JSON-LD objects at the top level, in lists and in ``@graph``."""
    if depth > 3:
        return []
    if isinstance(data, list):
        return [o for item in data for o in _objects(item, depth + 1)]
    if isinstance(data, dict):
        return [data, *_objects(data.get("@graph"), depth + 1)] if "@graph" in data else [data]
    return []


def _name(obj: Any) -> str | None:
    if isinstance(obj, list):
        obj = obj[0] if obj else None
    return _text(obj.get("name")) if isinstance(obj, dict) else None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return (_clean(value) or None) if isinstance(value, str) else None


def host_of(url: str | None) -> str | None:
    """The host name of ``url`` without "www.", as a last-resort site name."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _join_like(title: str, kept: list[str]) -> str:
    """Rejoin the kept parts of a title with the separator the title used."""
    if len(kept) == 1:
        return kept[0].strip()
    match = _TITLE_SEPARATORS.search(title)
    return (match.group() if match else " - ").join(p.strip() for p in kept)
