"""One EntityExtractor for the entity tests (the gazetteer cache lives under the repo's .wirecount/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.extractor.entities import EntityExtractor

ROOT = Path(__file__).resolve().parents[4]
CACHE = ROOT / ".wirecount" / "test-cache"


@pytest.fixture(scope="session")
def extractor() -> EntityExtractor:
    """The extractor, loaded once per test session."""
    return EntityExtractor.load(CACHE)


def assert_mentions(got: list[Any], expected: list[dict[str, Any]]) -> None:
    """Same number of mentions, in order, each with the expected field values."""
    summary = [m.to_dict() for m in got]
    assert len(got) == len(expected), summary
    for mention, want in zip(got, expected, strict=True):
        for key, value in want.items():
            assert getattr(mention, key) == value, (key, summary)
