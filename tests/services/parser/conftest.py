"""Helpers for the parser's tests: fixture pages and raw records built from them."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from shared.records import RawArticle, article_id_for

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
NOW = 1_782_864_000.0  # 2026-07-01T00:00:00Z: after every fixture's date
LIMITS: dict[str, Any] = {"max_html_bytes": 2_000_000, "min_text_chars": 80, "now": NOW}


def raw_for(
    html: str | bytes, url: str | None = "https://news.example/a/1", *, as_bytes: bool = False, **extra: Any
) -> RawArticle:
    """A raw record carrying ``html`` as decoded markup or, with ``as_bytes``, as base64 bytes."""
    fields: dict[str, Any] = {"article_id": article_id_for(url, html), "url": url, "entered_at": 12.5}
    if as_bytes or isinstance(html, bytes):
        data = html if isinstance(html, bytes) else html.encode("utf-8")
        fields["body_b64"] = base64.b64encode(data).decode("ascii")
    else:
        fields["html"] = html
    return RawArticle(**(fields | extra))


@pytest.fixture
def page() -> Any:
    """Read a fixture page's bytes by file name."""
    return lambda name: (PAGES / name).read_bytes()
