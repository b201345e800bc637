"""Damaged input never escapes as anything but BadRecord, and what is parsed goes on the wire."""

from __future__ import annotations

import random

import orjson
import pytest

from services.parser.logic import REASONS, parse_raw
from shared.records import BadRecord
from tests.services.parser.conftest import LIMITS, PAGES, raw_for

# Snippets that break naive parsers: unterminated blocks, NULs, encodings declared mid-page, surrogates.
SNIPPETS = [
    b"<!--",
    b"<script>",
    b"<title>",
    b"\x00",
    b"<![CDATA[",
    b"<?xml version='1.0' encoding='utf-8'?>",
    b"</html>",
    b"<style>",
    b"\xed\xa0\x80",
    b"&#0;",
    b"&#xD800;",
    b"\xff\xfe",
]


def _mutants(seed: int, count: int) -> list[bytes]:
    """Fixture pages cut, overwritten, spliced and salted at random (but repeatably)."""
    rng = random.Random(seed)
    pages = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]
    out = []
    for _ in range(count):
        data = bytearray(rng.choice(pages))
        at = rng.randrange(len(data))
        match rng.randrange(4):
            case 0:
                del data[at:]
            case 1:
                for _ in range(rng.randrange(1, 20)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            case 2:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 50)))
            case _:
                data[at:at] = rng.choice(SNIPPETS)
        out.append(bytes(data))
    return out


@pytest.mark.parametrize("as_text", [False, True])
def test_mutated_pages_parse_or_are_rejected_with_a_reason(as_text: bool) -> None:
    outcomes = set()
    for data in _mutants(seed=11, count=120):
        raw = raw_for(data.decode("utf-8", "surrogateescape")) if as_text else raw_for(data)
        try:
            parsed = parse_raw(raw, **LIMITS)
        except BadRecord as exc:
            assert exc.reason in REASONS
            outcomes.add(exc.reason)
            continue
        outcomes.add("parsed")
        orjson.dumps(parsed.to_representation())  # no lone surrogates or other unencodable text
        assert all(0 <= a < b <= len(parsed.text) for a, b in parsed.sentences)
    assert {"parsed", "no_content"} <= outcomes


def test_cp1256_bytes_decoded_wrongly_upstream_are_recovered() -> None:
    data = (PAGES / "cp1256_ar.html").read_bytes()
    parsed = parse_raw(raw_for(data.decode("utf-8", "surrogateescape")), **LIMITS)
    assert parsed.lang == "ar"
    assert "redecoded" in parsed.warnings
    assert parsed.text.startswith("انتشلت فرق خفر السواحل")


def test_stray_end_tags_do_not_cut_the_article() -> None:
    html = (PAGES / "agency_wire_en.html").read_text(encoding="utf-8")
    html = html.replace("<p>No group claimed", "</body></html><p>No group claimed")
    parsed = parse_raw(raw_for(html), **LIMITS)
    assert "No group claimed responsibility" in parsed.text
    assert "repaired_html" in parsed.warnings


@pytest.mark.parametrize("as_bytes", [False, True])
def test_control_characters_inside_the_page(as_bytes: bool) -> None:
    html = (PAGES / "agency_wire_en.html").read_text(encoding="utf-8")
    html = html.replace("No group claimed", "No\x00 group\x0b claimed\x0c")
    parsed = parse_raw(raw_for(html, as_bytes=as_bytes), **LIMITS)
    assert "No group claimed responsibility" in parsed.text


@pytest.mark.parametrize("name", ["monitor_report_ar.html", "cp1256_ar.html"])
def test_arabic_read_as_latin1_upstream_is_repaired(name: str) -> None:
    mojibake = (PAGES / name).read_bytes().decode("latin-1")
    parsed = parse_raw(raw_for(mojibake), **LIMITS)
    assert parsed.lang == "ar"
    assert "mojibake_repaired" in parsed.warnings


def test_a_real_latin1_page_is_left_alone() -> None:
    body = "".join(
        f"<p>Trois personnes ont été tuées à l'aube près du marché, a déclaré un médecin de l'hôpital n°{i}.</p>"
        for i in range(4)
    )
    parsed = parse_raw(raw_for(f"<html><body><article>{body}</article></body></html>"), **LIMITS)
    assert "mojibake_repaired" not in parsed.warnings
    assert "été tuées" in parsed.text
