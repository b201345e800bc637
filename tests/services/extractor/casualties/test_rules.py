"""Rule cases as data: each line of tests/cases/casualties_{en,ar,places}.jsonl is one sentence and its figures.

A case that carries a "title" or expects a "location" runs through the real entity step (the gazetteer
from the test cache) and the worker's own path, :func:`services.extractor.logic.extract_article`:
places come from the entity step, so place rules are tested on text, not on hand-made mentions."""

from __future__ import annotations

import pytest

from services.extractor.casualties import extract_figures
from services.extractor.entities import EntityExtractor
from services.extractor.logic import ArticleInput, extract_article
from tests.cases import Case, case_name, load_cases
from tests.services.extractor.entities.conftest import CACHE
from tests.services.extractor.wire import plain

RULE_CASES = load_cases(
    "casualties_en.jsonl", "casualties_ar.jsonl", "casualties_places.jsonl", needs=("lang", "text")
)


@pytest.fixture(scope="module")
def entities() -> EntityExtractor:
    """The real entity step, loaded once for the cases that need places."""
    return EntityExtractor.load(CACHE)


def _needs_entities(case: Case) -> bool:
    return "title" in case.given or any("location" in want for want in case.expected)


@pytest.mark.parametrize("case", RULE_CASES, ids=case_name)
def test_rule_case(case: Case, request: pytest.FixtureRequest) -> None:
    title = case.given.get("title")
    if _needs_entities(case):
        doc = ArticleInput("case", title, case.text, case.lang)
        got = plain(extract_article(doc, request.getfixturevalue("entities")).casualties)
    else:
        got = extract_figures(case.text, case.lang, title=title)
    summary = [(f["kind"], f["count"], f["scope"], f["victims"], f["location"], f["subset_of"]) for f in got]
    assert len(got) == len(case.expected), summary
    for fig, want in zip(got, case.expected, strict=True):
        for key, value in want.items():
            assert fig[key] == value, (key, summary)


def test_every_case_file_has_both_positive_and_negative_cases() -> None:
    assert any(c.expected for c in RULE_CASES)
    assert any(not c.expected for c in RULE_CASES)
