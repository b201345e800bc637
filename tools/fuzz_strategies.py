"""Hypothesis strategies that write hostile messages for each stage: bytes, JSON, poisoned records.

Every strategy yields ``bytes`` (a message value). A record strategy starts from
a valid payload and overwrites some fields with poison, adds unknown ones,
or cuts the encoded message short, so most inputs get past decoding and reach
the stage's own logic.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from tools.fuzz_values import POISON, RTL, b64, dumps

# Words the extractor reacts to, in both languages, mixed with noise and controls.
WORDS = [
    "killed", "wounded", "injured", "dead", "at", "least", "more", "than", "including", "children",
    "women", "civilians", "soldiers", "people", "in", "Idlib", "Gaza", "Aleppo", "Khan", "Younis",
    "on", "Monday", "Sunday", "2026-11-20", "99999-01-01", "12", "1,200", "3.5", "dozens", "hundreds",
    "٣٤", "١٢٠٠", "قتل", "قتلى", "جرحى", "أصيب", "مدنيين", "أطفال", "في", "غزة", "إدلب", "حلب",
    "يوم", "الاثنين", "على", "الأقل", "أكثر", "من", "شخصا", ".", ",", "،", "؛", "\n", "\u200f",
    RTL, "\u202c", "\u2066", "\u0640", "\ufdfd", "\x00", "\ud7ff", "\U0001f4a5", "1" + "0" * 99,
    "one", "hundred", "thousand", "million", "ثلاثة", "عشرة", "آلاف", "ألف", "مليون",
]  # fmt: skip
TAGS = ["div", "p", "article", "span", "script", "style", "title", "h1", "a", "table", "td", "template"]
ENCODINGS = ["utf-8", "windows-1256", "utf-16", "iso-8859-1", "cp1252", "utf-8-sig", "iso-8859-6"]

sentences = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)
any_text = st.one_of(st.text(max_size=200), sentences)
json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    any_text,
)
json_any = st.recursive(
    json_scalar,
    lambda c: st.lists(c, max_size=5) | st.dictionaries(st.text(max_size=10), c, max_size=5),
    max_leaves=20,
)
poison = st.sampled_from(POISON)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def wrap(tag: str, attrs: str, inner: list[str], close: bool) -> str:
        return f"<{tag}{attrs}>{''.join(inner)}" + (f"</{tag}>" if close else "")

    attrs = st.sampled_from(
        ["", ' lang="ar" dir="rtl"', ' charset="x"', ' href="javascript:1"', ' class="a"', " a=\"'"]
    )
    return st.builds(wrap, st.sampled_from(TAGS), attrs, st.lists(children, max_size=4), st.booleans())


html_text = st.recursive(any_text, _element, max_leaves=30)
html_doc = st.builds(
    lambda head, body: f"<!doctype html><html><head>{head}</head><body>{body}</body></html>",
    st.sampled_from(
        [
            "",
            '<meta charset="windows-1256">',
            "<title>404 Not Found</title>",
            '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"99999-01-01"}</script>',
            '<script type="application/ld+json">' + "[" * 5000 + "</script>",
            '<link rel="canonical" href="http://[::1">',
            '<meta property="article:published_time" content="0001-01-01">',
        ]
    ),
    html_text,
)


def _encode(text: str, encoding: str) -> bytes:
    return codecs.encode(text, encoding, "replace")


encoded_html = st.builds(_encode, html_doc, st.sampled_from(ENCODINGS))
# Mixed encodings: halves of one page in two charsets.
mixed_bytes = st.builds(lambda a, b: a + b, encoded_html, encoded_html)
body_b64 = st.one_of(st.builds(b64, encoded_html), st.builds(b64, mixed_bytes), st.builds(b64, st.binary()))


def _mutate(base: Mapping[str, Any], edits: list[tuple[str, Any]], drop: list[str]) -> dict[str, Any]:
    payload = {k: v for k, v in base.items() if k not in drop}
    for name, value in edits:
        payload[name] = value
    return payload


def mutated(
    base: Mapping[str, Any], fields: Mapping[str, st.SearchStrategy[Any]], max_edits: int = 4
) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with some fields overwritten (by their own strategy or poison), dropped, or added."""
    # Fields with their own strategy are edited most, and mostly with well-typed values: a wrong
    # type is rejected at decoding, while a hostile value of the right type reaches the logic.
    names = sorted({*base, "unknown_field"}) + sorted(fields) * 3
    edit = st.sampled_from(names).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.one_of(*[fields[n]] * 4, poison, json_any) if n in fields else st.one_of(poison, json_any),
        )
    )
    return st.builds(
        _mutate,
        st.just(dict(base)),
        st.lists(edit, max_size=max_edits),
        st.lists(st.sampled_from(sorted(base)), max_size=2),
    )


def _cut(data: bytes, at: int) -> bytes:
    return data[: at % (len(data) + 1)]


def messages(records: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Message values: mostly poisoned records, some cut short, some random bytes or other JSON."""
    encoded = records.map(dumps)
    return st.one_of(
        encoded,
        encoded,
        encoded,
        st.builds(_cut, encoded, st.integers(min_value=0)),
        st.binary(max_size=500),
        json_any.map(dumps),
        st.builds(lambda d, junk: d + junk, encoded, st.binary(min_size=1, max_size=8)),
    )
