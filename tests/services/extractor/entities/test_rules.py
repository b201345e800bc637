"""Rule cases as data: tests/cases/entities_*.jsonl, one parametrised test per kind of entity."""

from __future__ import annotations

import pytest

from services.extractor.entities import EntityExtractor
from tests.cases import Case, case_name, load_cases
from tests.services.extractor.entities.conftest import assert_mentions

NEEDS = ("lang", "text")


@pytest.mark.parametrize("case", load_cases("entities_places.jsonl", needs=NEEDS), ids=case_name)
def test_places(extractor: EntityExtractor, case: Case) -> None:
    ents = extractor.extract(case.text, case.lang)
    assert_mentions(ents.places, case.expected)


@pytest.mark.parametrize("case", load_cases("entities_actors.jsonl", needs=NEEDS), ids=case_name)
def test_actors(extractor: EntityExtractor, case: Case) -> None:
    ents = extractor.extract(case.text, case.lang)
    assert_mentions(ents.actors, case.expected)


@pytest.mark.parametrize("case", load_cases("entities_dates.jsonl", needs=(*NEEDS, "given")), ids=case_name)
def test_dates(extractor: EntityExtractor, case: Case) -> None:
    ents = extractor.extract(case.text, case.lang, case.given["published"])
    assert_mentions(ents.dates, case.expected)


@pytest.mark.parametrize("case", load_cases("entities_people.jsonl", needs=NEEDS), ids=case_name)
def test_people_and_organisations(extractor: EntityExtractor, case: Case) -> None:
    ents = extractor.extract(case.text, case.lang)
    assert_mentions(ents.people, case.expected["people"])
    assert_mentions(ents.organisations, case.expected["organisations"])
