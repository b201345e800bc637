from __future__ import annotations

import pytest

from services.fetcher.feeds import FeedError, is_sitemap, parse_feed, parse_listing, parse_sitemap

BASE = "https://w.example/feed"

RSS_091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>W</title><link>https://w.example/</link>
<description>d</description><language>en</language>
<item><title>One</title><link>https://w.example/1</link></item></channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://w.example/"><title>W</title><link>https://w.example/</link></channel>
<item rdf:about="https://w.example/2"><title>Two</title><link>https://w.example/2</link>
<dc:date>2026-11-24T10:00:00Z</dc:date></item></rdf:RDF>"""

RSS_20 = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>
<item><title>مقتل خمسة</title><link>/ar/3?utm_source=rss</link><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>No link</title></item></channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>
<id>urn:w</id><updated>2026-11-24T10:00:00Z</updated>
<entry><title>Four</title><id>urn:4</id><link rel="alternate" href="https://w.example/4"/>
<updated>2026-11-24T11:00:00Z</updated></entry></feed>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://w.example/5</loc><news:news><news:publication><news:name>W</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2026-11-24T12:00:00Z</news:publication_date>
<news:title>Five</news:title></news:news></url>
<url><loc>https://w.example/6</loc><lastmod>2026-11-23</lastmod></url></urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://w.example/sitemap-news.xml</loc></sitemap><sitemap><loc>/sitemap-2.xml.gz</loc></sitemap>
</sitemapindex>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title><link>https://w.example/x</link></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>"""


@pytest.mark.parametrize(
    ("body", "link", "title"),
    [
        (RSS_091, "https://w.example/1", "One"),
        (RSS_10, "https://w.example/2", "Two"),
        (RSS_20, "https://w.example/ar/3?utm_source=rss", "مقتل خمسة"),
        (ATOM, "https://w.example/4", "Four"),
    ],
    ids=["rss-0.91", "rss-1.0", "rss-2.0", "atom"],
)
def test_every_feed_flavour(body: bytes, link: str, title: str) -> None:
    entries = parse_feed(body, BASE)
    assert [e.link for e in entries] == [link]  # entries without a link are left out
    assert entries[0].title == title
    assert not is_sitemap(body)


def test_feed_dates_are_kept() -> None:
    assert parse_feed(RSS_20, BASE)[0].published == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert parse_feed(ATOM, BASE)[0].published == "2026-11-24T11:00:00Z"


def test_news_sitemap() -> None:
    listing = parse_listing(NEWS_SITEMAP, BASE)
    assert [(e.link, e.title, e.published) for e in listing.entries] == [
        ("https://w.example/5", "Five", "2026-11-24T12:00:00Z"),
        ("https://w.example/6", None, "2026-11-23"),
    ]
    assert listing.sitemaps == []


def test_sitemap_index_lists_sitemaps() -> None:
    listing = parse_listing(SITEMAP_INDEX, BASE)
    assert listing.entries == []
    assert listing.sitemaps == ["https://w.example/sitemap-news.xml", "https://w.example/sitemap-2.xml.gz"]


@pytest.mark.parametrize(
    "body", [b"<html><body>not a feed</body></html>", b"", b"\x00\x01\x02", b"<rss><channel"]
)
def test_malformed_documents_raise_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_listing(body, BASE)
    assert caught.value.reason == "malformed_feed"


def test_truncated_feed_without_a_whole_entry_is_malformed() -> None:
    with pytest.raises(FeedError) as caught:
        parse_listing(b"<rss version='2.0'><channel><item><title>cut off", BASE)
    assert caught.value.reason == "malformed_feed" and "no element found" in caught.value.detail


def test_broken_xml_with_entries_still_yields_them() -> None:
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A & B</title><link>https://w.example/7</link></item>'
    listing = parse_listing(broken, BASE)
    assert [e.link for e in listing.entries] == ["https://w.example/7"]
    assert listing.warning


def test_malformed_sitemap() -> None:
    with pytest.raises(FeedError) as caught:
        parse_sitemap(b"<urlset><url><loc>x</loc></urlset>", BASE)
    assert caught.value.reason == "malformed_sitemap"


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_declarations_are_refused(body: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse_listing(body, BASE)
    assert caught.value.reason == "unsafe_xml"


def test_sitemap_parser_refuses_dtds_on_its_own() -> None:
    doctype = b'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "http://x.example/d.dtd"><urlset><url><loc>https://w.example/8</loc></url></urlset>'
    with pytest.raises(FeedError) as caught:
        parse_sitemap(doctype, BASE)
    assert caught.value.reason == "unsafe_xml"


def test_languages_the_feeds_declare() -> None:
    assert parse_feed(RSS_091, BASE)[0].language == "en"
    assert parse_feed(ATOM, BASE)[0].language is None
    news = parse_listing(NEWS_SITEMAP, BASE).entries
    assert [e.language for e in news] == ["en", None]
