"""The one loader and the one schema of every data-driven test's cases (``tests/cases/*.jsonl``).

Each line is one case, a JSON object with these keys:

- ``name``: what the case shows, its pytest id; may be left out when the text says it (a number
  word, an address), and then the text is the id;
- ``lang``: the language of the text, when the code under test needs one;
- ``text``: the text the code under test reads;
- ``given``: any other input, as an object (an article title, a publication date, a fuzz stage and
  its patches, a fixture page and how it is served);
- ``expected``: what the code must answer (any JSON value);
- ``notes``: why the case exists, for the reader; no test reads it.

``name`` or ``text`` is required, ``expected`` always; ids are unique within one call, so a
failure and ``-k`` name one case. A line that breaks the schema fails at collection, naming its
file and line.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CASES = Path(__file__).resolve().parent
ROOT = CASES.parents[1]
STRING_KEYS = ("name", "lang", "text", "notes")  # keys whose value, when present, is a string
KEYS = frozenset((*STRING_KEYS, "given", "expected"))


class CaseError(ValueError):
    """A case line that breaks the schema; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Case:
    """One line of a case file, checked against the schema."""

    name: str
    expected: Any
    text: str = ""  # "" when the file leaves it out: a test that reads it asks for it with ``needs``
    lang: str = ""
    given: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""
    where: str = ""  # "tests/cases/<file>:<line>", for messages


def case_name(case: Case) -> str:
    """The pytest id of a case: ``@pytest.mark.parametrize("case", cases, ids=case_name)``."""
    return case.name


def load_cases(*files: str, needs: Collection[str] = ()) -> list[Case]:
    """The cases of ``tests/cases/<file>`` for each file, in order; every case must carry ``needs``."""
    return _unique([case for file in files for case in read_cases(CASES / file, needs)])


def read_cases(path: Path, needs: Collection[str] = ()) -> list[Case]:
    """The cases of one file anywhere, checked against the schema (blank lines are skipped)."""
    if not set(needs) <= KEYS:
        raise ValueError(f"needs {sorted(needs)}: a case has only {sorted(KEYS)}")
    lines = path.read_text(encoding="utf-8").splitlines()
    shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    return _unique([_case(line, f"{shown}:{n}", needs) for n, line in enumerate(lines, 1) if line.strip()])


def _unique(cases: list[Case]) -> list[Case]:
    """``cases`` unchanged once no two share a name (a name is a pytest id, and ids name one case)."""
    seen: dict[str, str] = {}
    for case in cases:
        if case.name in seen:
            raise CaseError(f"{case.where}: the name {case.name!r} is already used at {seen[case.name]}")
        seen[case.name] = case.where
    return cases


def _case(line: str, where: str, needs: Collection[str]) -> Case:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as err:
        raise CaseError(f"{where}: not JSON ({err})") from err
    if not isinstance(row, dict):
        raise CaseError(f"{where}: a case is a JSON object, not {type(row).__name__}")
    _check(row, where, needs)
    return Case(
        name=row["name"] if "name" in row else row["text"],
        expected=row["expected"],
        text=row.get("text", ""),
        lang=row.get("lang", ""),
        given=row.get("given", {}),
        notes=row.get("notes", ""),
        where=where,
    )


def _check(row: dict[str, Any], where: str, needs: Collection[str]) -> None:
    unknown = sorted(set(row) - KEYS)
    if unknown:
        raise CaseError(f"{where}: unknown keys {unknown}; a case has only {sorted(KEYS)}")
    missing = sorted({"expected", *needs} - set(row))
    if missing:
        raise CaseError(f"{where}: missing {missing}")
    if "name" not in row and "text" not in row:
        raise CaseError(f"{where}: a case needs a name or a text")
    wrong = [key for key in STRING_KEYS if key in row and not isinstance(row[key], str)]
    if wrong:
        raise CaseError(f"{where}: {wrong} must be strings")
    if not isinstance(row.get("given", {}), dict):
        raise CaseError(f"{where}: 'given' must be an object")
