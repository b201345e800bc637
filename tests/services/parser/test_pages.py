"""The parser on fixture pages that imitate what newsrooms serve: cases in tests/cases/parser_pages.jsonl.

Each case is ``given`` a page of tests/fixtures/pages and how it is served, and ``expected`` either the
reason it is rejected or what the parsed article holds."""

from __future__ import annotations

import pytest

from services.parser.logic import parse_raw
from shared.records import BadRecord, ParsedArticle, RawArticle, article_id_for
from shared.textnorm import NormalizedText, normalize
from tests.cases import Case, case_name, load_cases
from tests.services.parser.conftest import LIMITS, PAGES, raw_for

CASES = load_cases("parser_pages.jsonl", needs=("given",))
REJECTED = [c for c in CASES if "reason" in c.expected]
PARSED = [c for c in CASES if "reason" not in c.expected]


def _raw(case: Case) -> RawArticle:
    given = case.given
    data = (PAGES / given["file"]).read_bytes()
    extra = {k: given[k] for k in ("charset", "content_type") if given.get(k)}
    if given["mode"] == "html":
        return raw_for(data.decode("utf-8-sig"), given["url"], **extra)
    return raw_for(data, given["url"], **extra)


def test_there_are_enough_layouts() -> None:
    assert len({c.given["file"] for c in CASES}) >= 8


@pytest.mark.parametrize("case", REJECTED, ids=case_name)
def test_rejected_pages(case: Case) -> None:
    with pytest.raises(BadRecord) as caught:
        parse_raw(_raw(case), **LIMITS)
    assert caught.value.reason == case.expected["reason"]
    assert caught.value.detail


@pytest.mark.parametrize("case", PARSED, ids=case_name)
def test_metadata(case: Case) -> None:
    parsed = parse_raw(_raw(case), **LIMITS)
    want = case.expected
    for name in ("title", "lang", "published", "published_source", "canonical_url", "site", "extraction"):
        if name in want:
            assert getattr(parsed, name) == want[name], name
    assert set(want.get("warnings", [])) <= set(parsed.warnings)
    assert parsed.entered_at == 12.5
    assert parsed.parsed_at == LIMITS["now"]


@pytest.mark.parametrize("case", PARSED, ids=case_name)
def test_text(case: Case) -> None:
    text = parse_raw(_raw(case), **LIMITS).text
    want = case.expected
    assert len(text.split("\n")) == want["paragraphs"]
    assert text.startswith(want["starts"])
    assert text.endswith(want.get("ends", ""))
    for needle in want.get("contains", []):
        assert needle in text
    for needle in want.get("excludes", []):
        assert needle not in text
    assert want["title"] not in text.split("\n")[0]  # the headline is in ``title``, not repeated


@pytest.mark.parametrize("case", PARSED, ids=case_name)
def test_sentences_and_offsets(case: Case) -> None:
    parsed = parse_raw(_raw(case), **LIMITS)
    text = parsed.text
    for index, expected in case.expected.get("sentences", []):
        start, end = parsed.sentences[index]
        assert text[start:end] == expected
    norm = NormalizedText.from_runs(parsed.text_norm, text, parsed.norm_runs)
    assert norm == normalize(text)
    for needle, original in case.expected.get("spans", []):
        start = parsed.text_norm.index(needle)
        assert norm.original_slice(start, start + len(needle)) == original


@pytest.mark.parametrize("case", PARSED, ids=case_name)
def test_record_invariants(case: Case) -> None:
    parsed = parse_raw(_raw(case), **LIMITS)
    assert _sentences_cover_paragraphs(parsed)
    assert len(parsed.content_hash) == 32
    canonical = parsed.canonical_url
    expected_id = (
        article_id_for(canonical) if canonical and canonical != case.given["url"] else _raw(case).article_id
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
