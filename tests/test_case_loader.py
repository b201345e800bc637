"""The one case loader: every case file follows the schema, and a line that does not is named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cases import CASES, Case, CaseError, load_cases, read_cases


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(CASES.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_case_file_follows_the_schema(path: Path) -> None:
    assert load_cases(path.name)


def test_a_case_reads_its_fields_and_defaults(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        '{"name": "n", "lang": "en", "text": "t", "given": {"title": "x"}, "expected": [1], "notes": "why"}',
        "",
        '{"text": "only text", "expected": null}',
    )
    first, second = read_cases(path)
    assert first == Case("n", [1], "t", "en", {"title": "x"}, "why", f"{path}:1")
    assert second == Case("only text", None, "only text", where=f"{path}:3")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "a case is a JSON object"),
        ('{"text": "t", "expected": 1, "why": "x"}', "unknown keys ['why']"),
        ('{"text": "t"}', "missing ['expected']"),
        ('{"expected": 1}', "a name or a text"),
        ('{"text": 3, "expected": 1}', "['text'] must be strings"),
        ('{"text": "t", "given": [], "expected": 1}', "'given' must be an object"),
    ],
)
def test_a_broken_line_is_named_by_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = _file(tmp_path, '{"text": "fine", "expected": 1}', line)
    with pytest.raises(CaseError, match=f"^{re.escape(str(path))}:2: ") as caught:
        read_cases(path)
    assert message in str(caught.value)


def test_a_case_without_what_the_test_needs_is_named(tmp_path: Path) -> None:
    path = _file(tmp_path, '{"text": "t", "expected": 1}')
    with pytest.raises(CaseError, match=r":1: missing \['lang'\]"):
        read_cases(path, needs=("lang",))


def test_names_are_unique_within_a_file_and_across_the_files_of_one_call(tmp_path: Path) -> None:
    path = _file(tmp_path, '{"text": "t", "expected": 1}', '{"name": "t", "expected": 2}')
    with pytest.raises(CaseError, match=":2: the name 't' is already used at .*cases.jsonl:1"):
        read_cases(path)
    with pytest.raises(CaseError, match="already used at tests/cases/fetcher_urls.jsonl:1"):
        load_cases("fetcher_urls.jsonl", "fetcher_urls.jsonl")
