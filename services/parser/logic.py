"""The parser stage's pure logic: a raw article in, a parsed article out, or a reason to reject it.

:func:`parse_raw` is what the worker and the offline commands call. Rejections
raise :class:`shared.records.BadRecord` with a reason from
:data:`services.parser.reasons.REASONS`; the wiring dead-letters and counts them.

Article id: the raw record's id is kept unless the page names a canonical URL
different from the URL it was fetched from; then the id is the hash of the
canonical URL, so an AMP copy, a tracking-parameter variant and the page
itself all become one article downstream (the aggregator deduplicates by id).

``published_source`` is one of "jsonld", "meta", "htmldate", "feed" or
"dateline" (see :mod:`services.parser.dates`). ``warnings`` are short codes,
each saying what was odd but survivable:

=====================  ==========================================================
several_bodies         the record had more than one of html/body_b64/text; the first was used
charset_mismatch       the declared charset was wrong; the bytes were read as UTF-8 or windows-1256
charset_guessed        no usable charset and not UTF-8: read as windows-1256
redecoded              the html string carried undecoded bytes (surrogateescape); decoded again
surrogates_replaced    lone surrogates in the html string were replaced by U+FFFD
mojibake_repaired      Arabic read as Latin-1 upstream was re-read
repaired_html          an unterminated <title> or comment, or stray </html>, was fixed
canonical_is_root      the page's canonical URL was its site's home page, so it was ignored
trafilatura_empty      trafilatura found no main text; extraction is "fallback"
bad_declared_date      a JSON-LD or <meta> date was unreadable or implausible
bad_feed_date          the raw record's date was unreadable or implausible
no_date                no publication date anywhere
lang_*                 why ``lang`` is "und", or that a hint disagreed (lang_hint_mismatch)
=====================  ==========================================================
"""

from __future__ import annotations

import hashlib
import re

from services.parser import reasons
from services.parser.boilerplate import drop_boilerplate_lines
from services.parser.dates import latest_date, resolve_date, to_iso
from services.parser.decoding import (
    check_damage,
    check_size,
    check_text_size,
    decode_b64,
    decode_bytes,
    recover_bytes,
    repair_mojibake,
    sanitise,
    sniff_binary,
    strip_xml_declaration,
)
from services.parser.lang import guess_language
from services.parser.maintext import (
    drop_title_line,
    extract_largest_block,
    extract_with_trafilatura,
    headline_links,
    linked_headings,
    looks_like_listing,
    parse_tree,
    repair_html,
    tidy,
)
from services.parser.metadata import PageMeta, host_of, normalise_url, read_meta
from services.parser.reasons import REASONS  # noqa: F401 - re-exported for the wiring
from shared.records import BadRecord, ParsedArticle, RawArticle, article_id_for
from shared.sentences import split_sentences
from shared.textnorm import normalize

# Title or heading words of error pages ("404", "Page not found", "الصفحة غير موجودة").
_ERROR_PAGE = re.compile(
    r"^\s*(404|410)(?!\d)|error 404|page not found|page cannot be found|"
    r"صفحة.{0,30}غير موجودة|لم يتم العثور على الصفحة|خطأ 404",
    re.I,
)
# Error pages are short; a long article that mentions "error" in its headline is still an article.
_MAX_ERROR_PAGE_CHARS = 600
# Characters that do not change what a text says, ignored by the content hash.
_NOT_ALNUM = re.compile(r"[\W_]+")
# Linked headings that make a page an index: with og:type "website" or a JSON-LD listing type,
# and with no markup at all (article sidebars have a few linked headings too).
_MIN_TEASERS = 5
_MIN_TEASERS_UNMARKED = 8
_MIN_PROSE_LINE = 40  # shorter lines are bylines, times and labels
_HASH_HEX = 32  # 128 bits: collisions are out of reach for any news volume


def parse_raw(raw: RawArticle, *, max_html_bytes: int, min_text_chars: int, now: float) -> ParsedArticle:
    """Parse one raw article into text and metadata; raise BadRecord with a reason if it cannot be."""
    bodies = [name for name in ("html", "body_b64", "text") if getattr(raw, name) is not None]
    if not bodies:
        raise BadRecord(reasons.NO_CONTENT, "the record has no html, body_b64 or text")
    warnings = ["several_bodies"] if len(bodies) > 1 else []
    if raw.http_status is not None and raw.http_status >= 400:
        raise BadRecord(reasons.HTTP_ERROR, f"the page was fetched with HTTP status {raw.http_status}")
    if bodies[0] == "text":
        check_text_size(raw.text or "", max_html_bytes, "text")
        return _from_plain_text(raw, min_text_chars, now, warnings)
    html = _html_of(raw, bodies[0], max_html_bytes, warnings)
    return _from_html(raw, html, min_text_chars, now, warnings)


def content_hash(text_norm: str) -> str:
    """Hash of the normalised text without spaces and punctuation: equal for republished copies."""
    basis = _NOT_ALNUM.sub("", text_norm).encode("utf-8")
    return hashlib.sha256(basis).hexdigest()[:_HASH_HEX]


def choose_article_id(raw: RawArticle, canonical_url: str | None) -> str:
    """The raw id, unless the page's canonical URL differs from the fetched one (see module doc)."""
    if canonical_url and canonical_url != normalise_url(raw.url):
        return article_id_for(canonical_url)
    return raw.article_id


def _html_of(raw: RawArticle, body: str, max_html_bytes: int, warnings: list[str]) -> str:
    """The page's markup as a clean string, from ``raw.html`` or ``raw.body_b64``; rejects bad payloads."""
    if body == "html":
        html = raw.html or ""
        check_text_size(html, max_html_bytes, "html")
        sniff_binary(html[:4096].encode("utf-8", "surrogatepass"), None)
        html, recover_warnings = recover_bytes(html, raw.charset)
        html, mojibake_warnings = repair_mojibake(check_damage(html))
        warnings += recover_warnings + mojibake_warnings
    else:
        data = decode_b64(raw.body_b64 or "", max_html_bytes)
        check_size(len(data), max_html_bytes, "body")
        sniff_binary(data, raw.content_type)
        html, _encoding, decode_warnings = decode_bytes(data, raw.charset)
        warnings += decode_warnings
    return sanitise(strip_xml_declaration(html))


def _from_html(
    raw: RawArticle, html: str, min_text_chars: int, now: float, warnings: list[str]
) -> ParsedArticle:
    html, repair_warnings = repair_html(html)
    tree = parse_tree(html)
    if tree is None:
        raise BadRecord(reasons.NO_CONTENT, "no HTML document could be built from the page")
    meta = read_meta(tree, raw.url)
    title = meta.title or _clean_title(raw.title)
    text = drop_title_line(drop_boilerplate_lines(extract_with_trafilatura(tree, raw.url)), title, _key)
    links = headline_links(tree)
    extraction = "trafilatura"
    if len(text) < min_text_chars:
        fallback = drop_title_line(drop_boilerplate_lines(extract_largest_block(tree)), title, _key)
        if len(fallback) < min_text_chars or looks_like_listing(fallback, links):
            raise _no_text(meta, max(text, fallback, key=len), links, min_text_chars)
        text, extraction = fallback, "fallback"
        warnings.append("trafilatura_empty")
    _reject_non_articles(meta, title, text, links, linked_headings(tree))
    published, source, date_warnings = resolve_date(meta.dates, tree, raw.url, raw.published, now)
    return _record(
        raw,
        text=text,
        title=title,
        canonical_url=meta.canonical_url,
        site=meta.site,
        hints=(meta.html_lang, raw.lang),
        published=(published, source),
        extraction=extraction,
        warnings=[*warnings, *repair_warnings, *meta.warnings, *date_warnings],
        now=now,
    )


def _from_plain_text(raw: RawArticle, min_text_chars: int, now: float, warnings: list[str]) -> ParsedArticle:
    text = tidy(raw.text or "")
    if len(text) < min_text_chars:
        raise BadRecord(reasons.NO_CONTENT, f"plain text of {len(text)} characters, minimum {min_text_chars}")
    canonical = normalise_url(raw.url)
    published = to_iso(raw.published, latest_date(now)) if raw.published else None
    if raw.published and not published:
        warnings.append("bad_feed_date")
    return _record(
        raw,
        text=text,
        title=_clean_title(raw.title),
        canonical_url=canonical,
        site=host_of(canonical),
        hints=(raw.lang,),
        published=(published, "feed" if published else None),
        extraction="plain_text",
        warnings=warnings if published else [*warnings, "no_date"],
        now=now,
    )


def _record(
    raw: RawArticle,
    *,
    text: str,
    title: str | None,
    canonical_url: str | None,
    site: str | None,
    hints: tuple[str | None, ...],
    published: tuple[str | None, str | None],
    extraction: str,
    warnings: list[str],
    now: float,
) -> ParsedArticle:
    """Normalise, split and identify the text, and build the outgoing record."""
    norm = normalize(text)
    lang, lang_warnings = guess_language(text, hints)
    return ParsedArticle(
        article_id=choose_article_id(raw, canonical_url),
        url=raw.url,
        canonical_url=canonical_url,
        site=site,
        title=title,
        text=text,
        lang=lang,
        published=published[0],
        published_source=published[1],
        content_hash=content_hash(norm.text),
        text_norm=norm.text,
        norm_runs=norm.to_runs(),
        sentences=[[a, b] for a, b in split_sentences(text)],
        extraction=extraction,
        warnings=list(dict.fromkeys([*warnings, *lang_warnings])),
        entered_at=raw.entered_at,
        parsed_at=now,
    )


def _reject_non_articles(
    meta: PageMeta, title: str | None, text: str, links: list[str], headings: int
) -> None:
    """Raise NO_ARTICLE for index and error pages whose text passed the length check."""
    if looks_like_listing(text, links):
        raise BadRecord(
            reasons.NO_ARTICLE, "the main text is mostly other articles' headlines: an index page"
        )
    if _is_teaser_list(meta, headings, text):
        raise BadRecord(reasons.NO_ARTICLE, "the page lists linked headlines with teasers: an index page")
    if _is_error_page(meta, title, text):
        raise BadRecord(reasons.NO_ARTICLE, f"the page is an error page ({(title or '')[:60]!r})")


def _no_text(meta: PageMeta, text: str, links: list[str], min_text_chars: int) -> BadRecord:
    """Why a page without enough main text is rejected: not an article, or no content at all."""
    if len(links) >= _MIN_TEASERS or meta.kind == "index":
        return BadRecord(
            reasons.NO_ARTICLE, f"no article text and {len(links)} headline links: an index page"
        )
    if any(_ERROR_PAGE.search(t) for t in (meta.title or "", *meta.h1)):
        return BadRecord(
            reasons.NO_ARTICLE, f"the page is an error page ({(meta.title or meta.h1[0])[:60]!r})"
        )
    return BadRecord(reasons.NO_CONTENT, f"main text of {len(text)} characters, minimum {min_text_chars}")


def _is_teaser_list(meta: PageMeta, headings: int, text: str) -> bool:
    """An index page whose teasers trafilatura took for text: many linked headings, no article markup."""
    if meta.kind == "article":
        return False
    if meta.kind == "index":
        return headings >= _MIN_TEASERS
    # No markup either way: only when there are as many linked headings as prose paragraphs.
    prose = sum(1 for line in text.split("\n") if len(line) >= _MIN_PROSE_LINE)
    return headings >= _MIN_TEASERS_UNMARKED and headings >= prose


def _is_error_page(meta: PageMeta, title: str | None, text: str) -> bool:
    if len(text) > _MAX_ERROR_PAGE_CHARS:
        return False
    return any(_ERROR_PAGE.search(t) for t in (title or "", *meta.h1[:1]))


def _key(text: str) -> str:
    """Comparison key for titles and lines: normalised, letters and digits only."""
    return _NOT_ALNUM.sub("", normalize(text).text)


def _clean_title(title: str | None) -> str | None:
    return (" ".join(title.split()) or None) if title else None
