from __future__ import annotations

import base64

import orjson
import pytest

from shared.records import (
    SCHEMA_VERSION,
    BadRecord,
    ExtractedArticle,
    RawArticle,
    article_id_for,
    b64,
    decode,
)


def test_round_trip_is_plain_json_without_faust_metadata() -> None:
    raw = RawArticle(article_id="a1", url="https://x.example/a", html="<p>hi</p>", entered_at=1.5)
    payload = orjson.loads(raw.dumps())
    assert "__faust" not in payload
    assert payload["schema"] == SCHEMA_VERSION
    assert decode(RawArticle, raw.dumps()) == raw


def test_unknown_fields_are_tolerated() -> None:
    data = orjson.dumps({"article_id": "a1", "html": "<p/>", "added_in_v2": {"x": 1}})
    assert decode(RawArticle, data).article_id == "a1"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\xff\xfe not json", "not_json"),
        (b"[1, 2]", "not_object"),
        (b'{"url": "https://x.example"}', "missing_field"),
        (b'{"article_id": 7}', "wrong_type"),
        (b'{"article_id": "a", "entered_at": "yesterday"}', "wrong_type"),
        (b'{"article_id": "a", "schema": 99}', "schema_version"),
    ],
)
def test_bad_messages_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(BadRecord) as caught:
        decode(RawArticle, data)
    assert caught.value.reason == reason


def test_list_fields_are_type_checked() -> None:
    data = orjson.dumps(
        {"article_id": "a", "url": None, "site": None, "title": None, "lang": "en", "casualties": 3}
    )
    with pytest.raises(BadRecord, match="casualties"):
        decode(ExtractedArticle, data)


def test_article_id_prefers_url_and_is_stable() -> None:
    assert article_id_for("https://a.example/x") == article_id_for("https://a.example/x")
    assert article_id_for("https://a.example/x", "body") != article_id_for(None, "body")
    assert article_id_for(None, b"same") == article_id_for(None, "same")


def test_b64_round_trip() -> None:
    assert base64.b64decode(b64(b"\x00\xffabc") or "") == b"\x00\xffabc"
    assert b64(None) is None
