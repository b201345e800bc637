from __future__ import annotations

import pytest

from services.fetcher.sources import Source, parse_sources, source_from_json, source_to_json
from shared.records import BadRecord


def test_sources_file() -> None:
    doc = {
        "sources": [
            {"name": "wire", "url": "https://w.example/rss", "interval_s": 1, "lang": "ar"},
            {"name": "site-map", "url": "https://w.example/news.xml", "kind": "sitemap", "lang": "fr"},
        ]
    }
    wire, sitemap = parse_sources(doc, min_interval_s=10)
    assert wire == Source("wire", "https://w.example/rss", "ar", 10.0, "auto")  # floors silly intervals
    assert sitemap.kind == "sitemap" and sitemap.lang is None and sitemap.interval_s == 300.0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"url": "https://w.example/rss"}, "'name' and 'url'"),
        ({"name": "x", "url": "file:///etc/passwd"}, "not http"),
        ({"name": "x", "url": "https://w.example/", "kind": "ftp"}, "kind"),
        ({"name": "x", "url": "https://w.example/", "interval_s": "often"}, "number"),
        ({"name": "bad name!", "url": "https://w.example/"}, "letters"),
    ],
)
def test_bad_sources(item: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sources({"sources": [item]})


def test_duplicate_names_and_bad_documents() -> None:
    same = {"name": "a", "url": "https://w.example/"}
    with pytest.raises(ValueError, match="duplicate"):
        parse_sources({"sources": [same, same]})
    with pytest.raises(ValueError, match="'sources' list"):
        parse_sources(["x"])


def test_topic_messages_round_trip() -> None:
    source = Source("wire", "https://w.example/rss", "en", 60.0, "feed")
    assert source_from_json(source_to_json(source)) == source
    with pytest.raises(BadRecord) as caught:
        source_from_json(b"{nope")
    assert caught.value.reason == "not_json"
    with pytest.raises(BadRecord) as caught:
        source_from_json(b'{"name": "x"}')
    assert caught.value.reason == "bad_source"
