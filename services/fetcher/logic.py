"""Turning files and JSON Lines records into ``articles.raw`` records (the ``publish`` command).

No Kafka here: the publish CLI builds records with these functions and sends
them with its own producer. Fetched pages are built in :mod:`services.fetcher.crawl`.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from shared.records import RawArticle, article_id_for

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
LANG_HINTS = frozenset({"ar", "en"})


class InputError(ValueError):
    """An input that cannot become a raw article, with where it came from."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Loaded:
    """A raw article ready to publish, or the error that stopped one."""

    where: str
    article: RawArticle | None = None
    error: InputError | None = None


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files to publish: the files given, and HTML/JSONL files inside given directories."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            wanted = HTML_SUFFIXES | JSONL_SUFFIXES
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
        else:
            files.append(path)
    return files


def raw_from_html_bytes(body: bytes, *, url: str | None, entered_at: float, **extra: Any) -> RawArticle:
    """A raw record carrying page bytes as they are; the parser works out the encoding."""
    return RawArticle(
        article_id=article_id_for(url, body),
        url=url,
        body_b64=base64.b64encode(body).decode("ascii"),
        entered_at=entered_at,
        **extra,
    )


def raw_from_json(obj: Any, *, where: str, entered_at: float) -> RawArticle:
    """A raw record from one JSON Lines object: ``url``, ``html`` or ``text``, optional metadata."""
    if not isinstance(obj, dict):
        raise InputError(where, f"expected a JSON object, got {type(obj).__name__}")
    html, text = obj.get("html"), obj.get("text")
    if html is None and text is None:
        raise InputError(where, "record has neither 'html' nor 'text'")
    for name in ("url", "html", "text", "published", "lang", "title"):
        if obj.get(name) is not None and not isinstance(obj[name], str):
            raise InputError(where, f"'{name}' must be a string")
    body = str(html if html is not None else text)  # one of them is set, checked above
    if not body.strip():
        raise InputError(where, "'html'/'text' is empty")
    lang = obj.get("lang")
    url = obj.get("url") or None
    return RawArticle(
        article_id=article_id_for(url, body),
        url=url,
        html=html,
        text=text if html is None else None,
        title=obj.get("title"),
        published=obj.get("published"),
        lang=lang if lang in LANG_HINTS else None,
        source=obj.get("source") if isinstance(obj.get("source"), str) else None,
        entered_at=entered_at,
    )


def load_file(path: Path, *, entered_at: float) -> Iterator[Loaded]:
    """Raw articles from one file (HTML, or JSON Lines), with an error per bad file or line."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Loaded(where, error=InputError(where, f"cannot read: {exc.strerror or exc}"))
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _load_jsonl(data, where, entered_at)
        return
    if not data.strip():
        yield Loaded(where, error=InputError(where, "file is empty"))
        return
    url = path.resolve().as_uri()
    yield Loaded(where, article=raw_from_html_bytes(data, url=url, entered_at=entered_at, source="file"))


def _load_jsonl(data: bytes, where: str, entered_at: float) -> Iterator[Loaded]:
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        at = f"{where}:{number}"
        try:
            obj = orjson.loads(line)
            yield Loaded(at, article=raw_from_json(obj, where=at, entered_at=entered_at))
        except orjson.JSONDecodeError as exc:
            yield Loaded(at, error=InputError(at, f"invalid JSON ({exc})"))
        except InputError as exc:
            yield Loaded(at, error=exc)
