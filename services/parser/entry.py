"""The parser's per-message function: message bytes in, parsed records out, BadRecord for rejects.

The worker wraps :func:`process` in ``StageRuntime.handle``; the fuzz harness
(``tools/fuzz.py``) calls it directly, so what is fuzzed is what runs.
"""

from __future__ import annotations

from services.parser.logic import parse_raw
from shared.records import ParsedArticle, RawArticle, decode


def process(value: bytes, *, max_html_bytes: int, min_text_chars: int, now: float) -> list[ParsedArticle]:
    """Parse one ``articles.raw`` message; raise BadRecord with a reason when it is rejected."""
    raw = decode(RawArticle, value)
    return [parse_raw(raw, max_html_bytes=max_html_bytes, min_text_chars=min_text_chars, now=now)]
