"""parse_raw on made-up records: every rejection reason, plain text, identity and repeat deliveries."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from services.parser import reasons
from services.parser.logic import REASONS, content_hash, parse_raw
from shared.records import BadRecord, RawArticle, article_id_for
from tests.services.parser.conftest import LIMITS, raw_for

STORY = (
    "<p>Three people were killed and ten wounded when shells hit a residential district of the city "
    "on Thursday morning, a medical source said.</p>"
    "<p>The source said two of the wounded were in a critical condition and had been moved to the main "
    "hospital, where doctors were short of blood supplies.</p>"
    "<p>No group has said it fired the shells, which landed minutes apart near a busy bakery.</p>"
)


def page(body: str = STORY, head: str = "<title>Shells kill three in city district</title>") -> str:
    return f"<html><head>{head}</head><body><article><h1>Shells kill three in city district</h1>{body}</article></body></html>"


def reject(raw: RawArticle, **limits: Any) -> BadRecord:
    with pytest.raises(BadRecord) as caught:
        parse_raw(raw, **(LIMITS | limits))
    assert caught.value.reason in REASONS
    return caught.value


def test_reasons_are_a_small_fixed_set() -> None:
    expected = ["bad_base64", "bad_encoding", "binary", "http_error", "no_article", "no_content", "too_large"]
    assert sorted(REASONS) == expected


@pytest.mark.parametrize("as_bytes", [False, True])
def test_too_large(as_bytes: bool) -> None:
    raw = raw_for(page(STORY * 40), as_bytes=as_bytes)
    assert reject(raw, max_html_bytes=10_000).reason == reasons.TOO_LARGE
    assert parse_raw(raw, **(LIMITS | {"max_html_bytes": 100_000})).text


def test_too_large_counts_bytes_not_characters() -> None:
    arabic = page("<p>" + "قتل ثلاثة أشخاص في قصف على المدينة. " * 60 + "</p>")
    assert len(arabic) < 3000 < len(arabic.encode("utf-8"))
    assert reject(raw_for(arabic), max_html_bytes=3000).reason == reasons.TOO_LARGE


def test_bad_base64() -> None:
    raw = RawArticle(article_id="a1", url="https://news.example/a", body_b64="not base64 at all!")
    assert reject(raw).reason == reasons.BAD_BASE64


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), None),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/octet-stream"),
        (b"<html>" + bytes(range(32)) * 40, None),
        (page().encode(), "image/jpeg"),
    ],
)
def test_binary(data: bytes, content_type: str | None) -> None:
    assert reject(raw_for(data, content_type=content_type)).reason == reasons.BINARY


def test_binary_inside_a_decoded_string() -> None:
    assert reject(raw_for("GIF89a\x01\x00\x01\x00\x80\x00\x00" + "\x00" * 300)).reason == reasons.BINARY


def test_bad_encoding() -> None:
    damaged = page(
        "<p>" + "Sh\ufffd\ufffdlls k\ufffdll\ufffdd thr\ufffd\ufffd p\ufffd\ufffdple. " * 20 + "</p>"
    )
    assert reject(raw_for(damaged)).reason == reasons.BAD_ENCODING


def test_http_error() -> None:
    assert reject(raw_for(page(), http_status=404)).reason == reasons.HTTP_ERROR


@pytest.mark.parametrize(
    "raw",
    [
        RawArticle(article_id="a1", url="https://news.example/a"),
        raw_for(""),
        raw_for("<html><body><div id='app'></div><script>render()</script></body></html>"),
        raw_for(page("<p>Developing story.</p>")),
        raw_for("   ", url=None),
    ],
)
def test_no_content(raw: RawArticle) -> None:
    assert reject(raw).reason == reasons.NO_CONTENT


def test_plain_text() -> None:
    text = (
        "Three people were killed on Thursday.\r\n\r\n  Ten others   were wounded, a medical source said.  \n"
    )
    raw = RawArticle(
        article_id="p1",
        url="https://News.example/story#top",
        text=text,
        title="Shells kill three",
        published="Thu, 05 Mar 2026 10:00:00 GMT",
        lang="en",
        entered_at=3.0,
    )
    parsed = parse_raw(raw, **LIMITS)
    assert parsed.extraction == "plain_text"
    assert (
        parsed.text
        == "Three people were killed on Thursday.\nTen others were wounded, a medical source said."
    )
    assert parsed.sentences == [[0, 37], [38, 85]]
    assert (parsed.published, parsed.published_source) == ("2026-03-05T10:00:00+00:00", "feed")
    assert parsed.canonical_url == "https://news.example/story"
    assert parsed.site == "news.example"
    assert parsed.lang == "en"


def test_feed_date_when_the_page_has_none() -> None:
    raw = raw_for(page(), url="https://news.example/a/1", published="2026-03-05T08:15:00Z")
    parsed = parse_raw(raw, **LIMITS)
    assert (parsed.published, parsed.published_source) == ("2026-03-05T08:15:00+00:00", "feed")


def test_future_dates_are_not_believed() -> None:
    head = '<meta property="article:published_time" content="2031-01-01T00:00:00Z">'
    parsed = parse_raw(raw_for(page(head=head), published="2026-03-05"), **LIMITS)
    assert (parsed.published, parsed.published_source) == ("2026-03-05", "feed")
    assert "bad_declared_date" in parsed.warnings


def test_article_id_is_kept_unless_the_canonical_url_differs() -> None:
    url = "https://news.example/a/1"
    same = parse_raw(raw_for(page(head=f'<link rel="canonical" href="{url}">'), url), **LIMITS)
    assert same.article_id == article_id_for(url, None)
    other = parse_raw(raw_for(page(head='<link rel="canonical" href="/a/1-shells">'), url), **LIMITS)
    assert other.canonical_url == "https://news.example/a/1-shells"
    assert other.article_id == article_id_for("https://news.example/a/1-shells")


def test_republished_text_has_the_same_content_hash() -> None:
    original = parse_raw(raw_for(page(), "https://first.example/x"), **LIMITS)
    restyled = STORY.replace("<p>", "<p class='x'>  ").replace(", a medical", ",  a medical")
    copy = parse_raw(
        raw_for(page(restyled, head="<title>Other</title>"), "https://second.example/y"), **LIMITS
    )
    assert copy.article_id != original.article_id
    assert copy.content_hash == original.content_hash
    assert content_hash("a b") != content_hash("a c")


def test_repeated_delivery_parses_the_same() -> None:
    # trafilatura's shared dedup cache would drop paragraphs seen three times before.
    raw = raw_for(page())
    first = parse_raw(raw, **LIMITS).text
    assert all(parse_raw(raw, **LIMITS).text == first for _ in range(5))


def test_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("services.parser.logic.extract_with_trafilatura", lambda tree, url: "")
    parsed = parse_raw(raw_for(page()), **LIMITS)
    assert parsed.extraction == "fallback"
    assert "trafilatura_empty" in parsed.warnings
    assert parsed.text.startswith("Three people were killed")
    assert len(parsed.text.split("\n")) == 3


def test_language_is_chosen_from_the_text_not_the_hint() -> None:
    parsed = parse_raw(raw_for(page(), lang="ar"), **LIMITS)
    assert parsed.lang == "en"
    assert "lang_hint_mismatch" in parsed.warnings


def test_french_page_is_und() -> None:
    body = (
        "<p>Trois personnes ont été tuées et dix blessées jeudi matin lorsque des obus sont tombés sur un "
        "quartier résidentiel de la ville, selon une source médicale.</p>"
    )
    assert parse_raw(raw_for(page(body)), **LIMITS).lang == "und"


def test_utf16_page_with_bom() -> None:
    data = b"\xff\xfe" + page().encode("utf-16-le")
    assert parse_raw(raw_for(data), **LIMITS).text.startswith("Three people")


def test_xml_declaration_in_a_decoded_string() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page()
    assert parse_raw(raw_for(html), **LIMITS).text.startswith("Three people")


def test_record_survives_the_wire() -> None:
    parsed = parse_raw(raw_for(page()), **LIMITS)
    payload = parsed.to_representation()
    assert base64.b64encode(payload["text"].encode())  # plain JSON types only
    assert set(payload) >= {"article_id", "text_norm", "norm_runs", "sentences", "content_hash", "warnings"}


def _teasers(count: int) -> str:
    return "".join(
        f'<div class="card"><h3><a href="/world/story-{i}/">Headline number {i} about events in the region</a></h3>'
        f"<p>Summary {i}: officials said on Monday that talks would resume next week after a pause of days.</p></div>"
        for i in range(count)
    )


def test_teaser_index_page_is_not_an_article() -> None:
    head = '<meta property="og:type" content="website"><title>World</title>'
    error = reject(
        raw_for(f"<html><head>{head}</head><body><main><h1>World</h1>{_teasers(6)}</main></body></html>")
    )
    assert error.reason == reasons.NO_ARTICLE


def test_article_markup_wins_over_linked_headings() -> None:
    head = '<meta property="og:type" content="article"><title>Shells kill three in city district</title>'
    html = f"<html><head>{head}</head><body><article><h1>Shells kill three</h1>{STORY}</article>"
    html += f"<aside>{_teasers(9)}</aside></body></html>"
    assert parse_raw(raw_for(html), **LIMITS).text.startswith("Three people were killed")
