"""Title, site name, canonical URL and declared dates from a page's markup."""

from __future__ import annotations

import lxml.html
import pytest

from services.parser.metadata import read_meta, strip_site


def meta_of(head: str, body: str = "", url: str | None = "https://news.example/world/story-1"):  # type: ignore[no-untyped-def]
    return read_meta(
        lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>"), url
    )


@pytest.mark.parametrize(
    ("title", "site", "guess", "expected"),
    [
        ("Shelling kills four | Levant Wire", "Levant Wire", False, "Shelling kills four"),
        ("Levant Wire - Shelling kills four", "levant wire", False, "Shelling kills four"),
        ("جريدة الفرات - غرق قارب يقل مهاجرين قبالة الساحل", None, True, "غرق قارب يقل مهاجرين قبالة الساحل"),
        (
            "جريدة الفرات - غرق قارب يقل مهاجرين قبالة الساحل",
            None,
            False,
            "جريدة الفرات - غرق قارب يقل مهاجرين قبالة الساحل",
        ),
        ("Iraq: five killed in blast", None, True, "Iraq: five killed in blast"),
        ("Part one - Part two", None, True, "Part one - Part two"),
    ],
)
def test_strip_site(title: str, site: str | None, guess: bool, expected: str) -> None:
    assert strip_site(title, site, guess=guess) == expected


def test_social_title_and_site() -> None:
    meta = meta_of(
        '<meta property="og:title" content="Shelling kills four - Levant Wire">'
        '<meta property="og:site_name" content="Levant Wire"><title>Other</title>'
    )
    assert (meta.title, meta.site) == ("Shelling kills four", "Levant Wire")


def test_json_ld_graph() -> None:
    ld = (
        '{"@graph": [{"@type": "WebSite", "name": "Frontline Daily"},'
        ' {"@type": ["NewsArticle"], "headline": "Detainees released", "datePublished": "2026-05-18",'
        ' "mainEntityOfPage": {"@id": "https://frontline.example/detainees"}}]}'
    )
    meta = meta_of(
        f'<script type="application/ld+json">{ld}</script><script type="application/ld+json">{{bad</script>'
    )
    assert meta.title == "Detainees released"
    assert meta.site == "Frontline Daily"
    assert meta.canonical_url == "https://frontline.example/detainees"
    assert meta.dates == [("2026-05-18", "jsonld")]


def test_h1_then_title_tag() -> None:
    assert meta_of("<title>Site | Short</title>", "<h1>Two aid workers missing after ambush</h1>").title == (
        "Two aid workers missing after ambush"
    )
    assert meta_of("<title>Paper - Two aid workers missing after ambush</title>", "<h1>Logo</h1>").title == (
        "Two aid workers missing after ambush"
    )


@pytest.mark.parametrize(
    ("head", "url", "expected", "warnings"),
    [
        (
            '<link rel="canonical" href="/world/story-1-full">',
            "https://News.example/world/story-1#c",
            "https://news.example/world/story-1-full",
            [],
        ),
        (
            '<link rel="canonical" href="https://news.example/">',
            "https://news.example/world/story-1",
            "https://news.example/world/story-1",
            ["canonical_is_root"],
        ),
        (
            '<link rel="canonical" href="https://news.example/?p=42">',
            "https://news.example/world/story-1",
            "https://news.example/?p=42",
            [],
        ),
        (
            '<link rel="canonical" href="javascript:void(0)">',
            "https://news.example/a",
            "https://news.example/a",
            [],
        ),
        ('<meta property="og:url" content="https://news.example/b">', None, "https://news.example/b", []),
        ("", None, None, []),
    ],
)
def test_canonical_url(head: str, url: str | None, expected: str | None, warnings: list[str]) -> None:
    meta = meta_of(head, url=url)
    assert (meta.canonical_url, meta.warnings) == (expected, warnings)


def test_site_falls_back_to_the_host() -> None:
    assert meta_of("", url="https://www.alfurat.example/news.asp?id=1").site == "alfurat.example"
