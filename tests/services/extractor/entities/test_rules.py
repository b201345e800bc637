"""Rule cases as data: tests/cases/entities_*.jsonl, one parametrised test per kind of entity."""

from __future__ import annotations

from typing import Any

import pytest

from services.extractor.entities import EntityExtractor
from tests.services.extractor.entities.conftest import assert_mentions, load_cases


@pytest.mark.parametrize("case", load_cases("entities_places.jsonl"), ids=lambda c: c["text"][:40])
def test_places(extractor: EntityExtractor, case: dict[str, Any]) -> None:
    ents = extractor.extract(case["text"], case["lang"])
    assert_mentions(ents.places, case["expected"])


@pytest.mark.parametrize("case", load_cases("entities_actors.jsonl"), ids=lambda c: c["text"][:40])
def test_actors(extractor: EntityExtractor, case: dict[str, Any]) -> None:
    ents = extractor.extract(case["text"], case["lang"])
    assert_mentions(ents.actors, case["expected"])


@pytest.mark.parametrize("case", load_cases("entities_dates.jsonl"), ids=lambda c: c["text"][:40])
def test_dates(extractor: EntityExtractor, case: dict[str, Any]) -> None:
    ents = extractor.extract(case["text"], case["lang"], case["published"])
    assert_mentions(ents.dates, case["expected"])


@pytest.mark.parametrize("case", load_cases("entities_people.jsonl"), ids=lambda c: c["text"][:40])
def test_people_and_organisations(extractor: EntityExtractor, case: dict[str, Any]) -> None:
    ents = extractor.extract(case["text"], case["lang"])
    assert_mentions(ents.people, case["expected_people"])
    assert_mentions(ents.organisations, case["expected_orgs"])
