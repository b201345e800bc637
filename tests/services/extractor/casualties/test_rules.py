"""Rule cases as data: each line of tests/cases/casualties_{en,ar}.jsonl is one sentence and its figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.extractor.casualties import extract_figures

CASES = Path(__file__).resolve().parents[3] / "cases"


def load_cases(name: str) -> list[dict[str, Any]]:
    """Cases of one file, skipping blank lines."""
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


RULE_CASES = load_cases("casualties_en.jsonl") + load_cases("casualties_ar.jsonl")


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["name"] for c in RULE_CASES])
def test_rule_case(case: dict[str, Any]) -> None:
    got = extract_figures(case["text"], case["lang"], title=case.get("title"))
    summary = [(f["kind"], f["count"], f["scope"], f["victims"], f["subset_of"]) for f in got]
    assert len(got) == len(case["expected"]), summary
    for fig, want in zip(got, case["expected"], strict=True):
        for key, value in want.items():
            assert fig[key] == value, (key, summary)


def test_every_case_file_has_both_positive_and_negative_cases() -> None:
    assert any(c["expected"] for c in RULE_CASES)
    assert any(not c["expected"] for c in RULE_CASES)
