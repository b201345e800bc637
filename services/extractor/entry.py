"""The extractor's per-message function: message bytes in, extracted records out, BadRecord for rejects.

The worker wraps :func:`process` in ``StageRuntime.handle``; the fuzz harness
(``tools/fuzz.py``) calls it directly, so what is fuzzed is what runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.extractor.logic import ArticleInput, extract_article
from shared.records import ExtractedArticle, ParsedArticle, decode

if TYPE_CHECKING:
    from services.extractor.entities import EntityExtractor


def process(value: bytes, entities: EntityExtractor | None, *, now: float) -> list[ExtractedArticle]:
    """Extract entities and figures from one ``articles.parsed`` message; BadRecord when it is not one."""
    parsed = decode(ParsedArticle, value)
    doc = ArticleInput(
        article_id=parsed.article_id,
        title=parsed.title,
        text=parsed.text,
        lang=parsed.lang,
        published=parsed.published,
    )
    result = extract_article(doc, entities)
    extracted = ExtractedArticle(
        article_id=parsed.article_id,
        url=parsed.canonical_url or parsed.url,
        site=parsed.site,
        title=parsed.title,
        lang=parsed.lang,
        published=parsed.published,
        content_hash=parsed.content_hash,
        **result.record_fields(),
        entered_at=parsed.entered_at,
        extracted_at=now,
    )
    return [extracted]
