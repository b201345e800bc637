"""The main text of a page: trafilatura first, the largest prose block when it finds nothing.

trafilatura runs once per page with precision favoured (menus, related-article
lists, share buttons, comments and "read also" boxes left out) and without its
own fallback extractors (slow, and recall-oriented). Its ``deduplicate``
option is given a fresh cache per page: with the default process-wide cache, a
paragraph seen in three earlier pages is dropped, so a redelivered or
republished article would come out empty on its fourth parse.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from copy import deepcopy

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.deduplication import LRUCache

# Repeated paragraphs within one page: a handful of slots is enough.
_DEDUP_SLOTS = 64

# Subtrees that are never article text.
_DROP_TAGS = str.split(
    "script style noscript template svg iframe button select textarea input nav header footer aside "
    "amp-sidebar amp-social-share figure figcaption"
)
# Classes and ids of boilerplate blocks (matched as word parts: "social-share", "commentlist").
_BOILERPLATE = re.compile(
    r"comment|share|social|related|sidebar|widget|menu|navbar|footer|cookie|newsletter|promo|"
    r"breadcrumb|tags|read-?also|more-?news|most-?read|advert|\bads?\b",
    re.I,
)
_BLOCK_TAGS = frozenset(str.split("p div td li h2 h3 h4 blockquote pre article section main center font dd"))

# A prose paragraph has at least this many characters; shorter lines are labels and links.
_MIN_PARAGRAPH = 40
# Above this share of characters inside links, a block is navigation, not prose.
_MAX_LINK_SHARE = 0.35
# Headline-length link texts: this many make a page a listing of other articles.
_MIN_HEADLINE_LINK = 25
_MIN_LISTING_LINKS = 5


def extract_with_trafilatura(tree: HtmlElement, url: str | None) -> str:
    """Main text by trafilatura, paragraphs separated by "\\n"; "" when it finds none."""
    document = bare_extraction(
        tree,
        url=url,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        deduplicate=LRUCache(maxsize=_DEDUP_SLOTS),
        with_metadata=False,
    )
    text = getattr(document, "text", None) if document is not None else None
    return tidy(text or "")


def extract_largest_block(tree: HtmlElement) -> str:
    """Fallback: the prose paragraphs of the element that holds the most of them."""
    tree = deepcopy(tree)
    _drop_boilerplate(tree)
    by_parent: dict[HtmlElement, list[str]] = defaultdict(list)
    order: dict[HtmlElement, int] = {}
    for element in tree.iter(*_BLOCK_TAGS):
        paragraphs, link_chars = _own_text(element)
        size = sum(len(p) for p in paragraphs)
        paragraphs = [p for p in paragraphs if len(p) >= _MIN_PARAGRAPH]
        if not paragraphs or link_chars > _MAX_LINK_SHARE * size:
            continue
        # <p>s of one story share a parent; text broken by <br> sits in the element itself.
        parent = element if len(paragraphs) > 1 or element.tag == "td" else element.getparent()
        by_parent[parent].extend(paragraphs)
        order.setdefault(parent, len(order))
    if not by_parent:
        return ""
    best = max(by_parent, key=lambda p: (sum(len(t) for t in by_parent[p]), -order[p]))
    return tidy("\n".join(by_parent[best]))


def headline_links(tree: HtmlElement) -> list[str]:
    """Texts of links long enough to be headlines of other articles."""
    out = []
    for link in tree.iter("a"):
        text = " ".join(link.text_content().split())
        if len(text) >= _MIN_HEADLINE_LINK:
            out.append(text)
    return out


def linked_headings(tree: HtmlElement) -> int:
    """How many headings are links to other pages: teaser cards of an index page."""
    count = 0
    for heading in tree.iter("h2", "h3", "h4"):
        link = heading.find(".//a")
        if link is not None and len(" ".join(link.text_content().split())) >= _MIN_HEADLINE_LINK:
            count += 1
    return count


def looks_like_listing(text: str, links: list[str]) -> bool:
    """Whether ``text`` is mostly other articles' headlines: an index or section page."""
    if len(links) < _MIN_LISTING_LINKS:
        return False
    linked = set(links)
    lines = [line for line in text.split("\n") if line]
    in_links = sum(len(line) for line in lines if line in linked)
    return in_links > 0.5 * sum(len(line) for line in lines)


def tidy(text: str) -> str:
    """One paragraph per line, inner whitespace runs collapsed, empty lines and control characters dropped."""
    lines = (" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in (_CONTROL.sub("", ln) for ln in lines) if line)


def drop_title_line(text: str, title: str | None, key: Callable[[str], str]) -> str:
    """Remove a first line that repeats the title (trafilatura keeps the <h1>), compared by ``key``."""
    if not title or not text:
        return text
    first, _, rest = text.partition("\n")
    return rest if key(first) == key(title) else text


def repair_html(html: str) -> tuple[str, list[str]]:
    """Close an unterminated <title> or comment and drop stray end tags, which would lose the page."""
    warnings: list[str] = []
    lower = html[:_REPAIR_WINDOW].lower()
    start = lower.find("<title")
    if start >= 0 and "</title" not in lower:
        end = html.find("<", lower.find(">", start) + 1)
        end = len(html) if end < 0 else end
        html = f"{html[:end]}</title>{html[end:]}"
        warnings.append("repaired_html")
    first_end = _END_TAGS.search(html)
    if first_end:
        # lxml drops whatever follows the first </html>; browsers do not (stray ones come with
        # included templates), and the parser closes the document at its end anyway.
        if _END_TAGS.sub("", html[first_end.end() :]).strip():
            warnings.append("repaired_html")
        html = _END_TAGS.sub("", html)
    if html.count("<!--") > html.count("-->"):
        html = html[: html.rfind("<!--")] + html[html.rfind("<!--") :].replace("<!--", "", 1)
        warnings.append("repaired_html")
    return html, sorted(set(warnings))


_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.I)
# Where a <title> would be: the head is rarely longer.
_REPAIR_WINDOW = 20_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]")


def _drop_boilerplate(tree: HtmlElement) -> None:
    """Remove non-text tags and blocks whose class or id says they are boilerplate."""
    etree.strip_elements(tree, *_DROP_TAGS, etree.Comment, with_tail=False)
    doomed = [
        el
        for el in tree.iter(etree.Element)
        if el.tag not in ("html", "body")
        and _BOILERPLATE.search(f"{el.get('class', '')} {el.get('id', '')}")
        # A wrapper named "has-sidebar" still holds the story: keep what holds a headline.
        and el.find(".//h1") is None
        and el.find(".//article") is None
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _own_text(element: HtmlElement) -> tuple[list[str], int]:
    """Paragraphs of ``element`` outside nested blocks, and how many of its characters are in links."""
    parts: list[str] = []
    link_chars = 0

    def walk(node: HtmlElement, in_link: bool) -> None:
        nonlocal link_chars
        head = node.text or ""
        parts.append(head)
        link_chars += len(head.strip()) if in_link else 0
        for child in node:
            if isinstance(child.tag, str):
                if child.tag in _BLOCK_TAGS or child.tag == "br":
                    parts.append("\n")  # a nested block is scored on its own; <br> breaks a paragraph
                else:
                    walk(child, in_link or child.tag == "a")
            tail = child.tail or ""
            parts.append(tail)
            link_chars += len(tail.strip()) if in_link else 0

    walk(element, element.tag == "a")
    paragraphs = (" ".join(p.split()) for p in "".join(parts).split("\n"))
    return [p for p in paragraphs if p], link_chars


def parse_tree(html: str) -> HtmlElement | None:
    """Parse HTML leniently; None when nothing parseable is left."""
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
