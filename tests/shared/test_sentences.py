"""Sentence splitting: each case in tests/cases/sentences.jsonl is a text and the sentences expected, in order."""

from __future__ import annotations

import pytest

from shared.sentences import split_sentences
from tests.cases import Case, case_name, load_cases

CASES = load_cases("sentences.jsonl", needs=("text",))


@pytest.mark.parametrize("case", CASES, ids=case_name)
def test_split_sentences(case: Case) -> None:
    spans = split_sentences(case.text)
    assert [case.text[a:b] for a, b in spans] == case.expected


@pytest.mark.parametrize("case", CASES, ids=case_name)
def test_spans_are_ordered_trimmed_and_disjoint(case: Case) -> None:
    text = case.text
    spans = split_sentences(text)
    ends = [0]
    for a, b in spans:
        assert ends[-1] <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        ends.append(b)


def test_long_text_is_linear_enough() -> None:
    text = "The convoy left at dawn. " * 4000
    assert len(split_sentences(text)) == 4000
