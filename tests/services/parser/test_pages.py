"""The parser on fixture pages that imitate what newsrooms serve: cases in tests/fixtures/pages/cases.jsonl."""

from __future__ import annotations

import json
from typing import Any

import pytest

from services.parser.logic import parse_raw
from shared.records import BadRecord, ParsedArticle, RawArticle, article_id_for
from shared.textnorm import NormalizedText, normalize
from tests.services.parser.conftest import LIMITS, PAGES, raw_for

LINES = (PAGES / "cases.jsonl").read_text(encoding="utf-8").splitlines()
CASES = [json.loads(line) for line in LINES if line]
REJECTED = [pytest.param(c, id=c["file"]) for c in CASES if "reason" in c]
PARSED = [
    pytest.param(c, id=f"{c['file']}-{c.get('charset') or c['mode']}") for c in CASES if "reason" not in c
]


def _raw(case: dict[str, Any]) -> RawArticle:
    data = (PAGES / case["file"]).read_bytes()
    extra = {k: case[k] for k in ("charset", "content_type") if case.get(k)}
    if case["mode"] == "html":
        return raw_for(data.decode("utf-8-sig"), case["url"], **extra)
    return raw_for(data, case["url"], **extra)


def test_there_are_enough_layouts() -> None:
    assert len({c["file"] for c in CASES}) >= 8


@pytest.mark.parametrize("case", REJECTED)
def test_rejected_pages(case: dict[str, Any]) -> None:
    with pytest.raises(BadRecord) as caught:
        parse_raw(_raw(case), **LIMITS)
    assert caught.value.reason == case["reason"]
    assert caught.value.detail


@pytest.mark.parametrize("case", PARSED)
def test_metadata(case: dict[str, Any]) -> None:
    parsed = parse_raw(_raw(case), **LIMITS)
    for name in ("title", "lang", "published", "published_source", "canonical_url", "site", "extraction"):
        if name in case:
            assert getattr(parsed, name) == case[name], name
    assert set(case.get("warnings", [])) <= set(parsed.warnings)
    assert parsed.entered_at == 12.5
    assert parsed.parsed_at == LIMITS["now"]


@pytest.mark.parametrize("case", PARSED)
def test_text(case: dict[str, Any]) -> None:
    text = parse_raw(_raw(case), **LIMITS).text
    assert len(text.split("\n")) == case["paragraphs"]
    assert text.startswith(case["starts"])
    assert text.endswith(case.get("ends", ""))
    for needle in case.get("contains", []):
        assert needle in text
    for needle in case.get("excludes", []):
        assert needle not in text
    assert case["title"] not in text.split("\n")[0]  # the headline is in ``title``, not repeated


@pytest.mark.parametrize("case", PARSED)
def test_sentences_and_offsets(case: dict[str, Any]) -> None:
    parsed = parse_raw(_raw(case), **LIMITS)
    text = parsed.text
    for index, expected in case.get("sentences", []):
        start, end = parsed.sentences[index]
        assert text[start:end] == expected
    norm = NormalizedText.from_runs(parsed.text_norm, text, parsed.norm_runs)
    assert norm == normalize(text)
    for needle, original in case.get("spans", []):
        start = parsed.text_norm.index(needle)
        assert norm.original_slice(start, start + len(needle)) == original


@pytest.mark.parametrize("case", PARSED)
def test_record_invariants(case: dict[str, Any]) -> None:
    parsed = parse_raw(_raw(case), **LIMITS)
    assert _sentences_cover_paragraphs(parsed)
    assert len(parsed.content_hash) == 32
    canonical = parsed.canonical_url
    expected_id = (
        article_id_for(canonical) if canonical and canonical != case["url"] else _raw(case).article_id
    )
    assert parsed.article_id == expected_id
    assert parse_raw(_raw(case), **LIMITS).to_representation() == parsed.to_representation()


def _sentences_cover_paragraphs(parsed: ParsedArticle) -> bool:
    """Every sentence lies inside one paragraph, in order, and no letter is left outside a sentence."""
    covered = [False] * len(parsed.text)
    last_end = 0
    for start, end in parsed.sentences:
        if start < last_end or "\n" in parsed.text[start:end]:
            return False
        covered[start:end] = [True] * (end - start)
        last_end = end
    return all(c or not ch.isalnum() for c, ch in zip(covered, parsed.text, strict=True))
