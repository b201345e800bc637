"""Sources the fetcher polls: the YAML file, and their ``fetch.sources`` messages."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

from services.fetcher.logic import LANG_HINTS
from services.fetcher.urls import UrlError, check_http_url

# "auto" tells a feed from a sitemap by its content; "page" is one article URL.
KINDS = frozenset({"auto", "feed", "sitemap", "page"})
DEFAULT_INTERVAL_S = 300.0
# Source names become metric labels: keep them short and tame.
MAX_NAME_CHARS = 64


@dataclass(frozen=True, slots=True)
class Source:
    """A feed, sitemap or page the fetcher polls."""

    name: str
    url: str
    lang: str | None = None
    interval_s: float = DEFAULT_INTERVAL_S
    kind: str = "auto"


def parse_source(item: Any, *, min_interval_s: float = 10.0, where: str = "source") -> Source:
    """One source from a mapping ``{name, url, lang?, interval_s?, kind?}``; ValueError when invalid."""
    if not isinstance(item, dict) or not item.get("name") or not item.get("url"):
        raise ValueError(f"{where} needs 'name' and 'url'")
    name = str(item["name"]).strip()
    if len(name) > MAX_NAME_CHARS or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"{where}: name must be letters, digits, '-', '_' or '.', at most {MAX_NAME_CHARS}")
    try:
        url = check_http_url(str(item["url"]))
    except UrlError as exc:
        raise ValueError(f"{where}: {exc}") from None
    kind = str(item.get("kind", "auto")).lower()
    if kind not in KINDS:
        raise ValueError(f"{where}: kind must be one of {sorted(KINDS)}")
    try:
        interval = float(item.get("interval_s", DEFAULT_INTERVAL_S))
    except (TypeError, ValueError):
        raise ValueError(f"{where}: interval_s must be a number") from None
    lang = item.get("lang")
    hint = lang if isinstance(lang, str) and lang in LANG_HINTS else None
    return Source(name, url, hint, max(interval, min_interval_s), kind)


def parse_sources(doc: Any, *, min_interval_s: float = 10.0) -> list[Source]:
    """Sources from the YAML document ``{"sources": [{name, url, lang, interval_s, kind}, ...]}``."""
    if not isinstance(doc, dict) or not isinstance(doc.get("sources"), list):
        raise ValueError("sources file must be a mapping with a 'sources' list")
    sources = [
        parse_source(item, min_interval_s=min_interval_s, where=f"source #{i + 1}")
        for i, item in enumerate(doc["sources"])
    ]
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"duplicate source names: {duplicates}")
    return sources


def load_sources(path: Path | None, min_interval_s: float) -> list[Source]:
    """The sources in the YAML file at ``path``, or none without a file."""
    if path is None:
        return []
    return parse_sources(yaml.safe_load(path.read_text(encoding="utf-8")), min_interval_s=min_interval_s)


def source_to_json(source: Source) -> bytes:
    """The ``fetch.sources`` message for ``source`` (keyed by its name)."""
    return orjson.dumps(asdict(source))


def source_from_json(raw: bytes | None, *, min_interval_s: float = 10.0) -> Source:
    """A source from a ``fetch.sources`` message; raises BadRecord when it is not one."""
    from shared.records import BadRecord

    try:
        doc = orjson.loads(raw or b"")
    except orjson.JSONDecodeError as exc:
        raise BadRecord("not_json", str(exc)[:200]) from None
    try:
        return parse_source(doc, min_interval_s=min_interval_s)
    except ValueError as exc:
        raise BadRecord("bad_source", str(exc)) from None
