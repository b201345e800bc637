"""Incidents and tolls built by the real aggregator logic, some from hostile article text."""

from __future__ import annotations

from typing import Any

import pytest

from services.aggregator.writes import AggregatorState
from tests.services.aggregator.conftest import article, figure, fold, new_state

HOSTILE = '<script>window.pwned=1</script> "><img src=x onerror="window.pwned=2">'


def stated(count: int, sentence: str, span: str, **extra: Any) -> dict[str, Any]:
    """A figure whose evidence ``span`` sits in ``sentence``, at offset 40 of its article."""
    lo = sentence.index(span)
    return figure(count, evidence=span, start=40 + lo, end=40 + lo + len(span), sentence=sentence,
                  sentence_start=40, **extra)  # fmt: skip


def built() -> AggregatorState:
    """Three outlets on one strike (12, 15, at least 17), a hostile report, a running toll."""
    state = new_state()
    fold(
        state,
        article("a1", stated(12, "An air strike killed 12 civilians in Maarat Misrin.", "killed 12 civilians"),
                site="one.example", published="2026-11-23T10:00:00Z"),
        article("a2", stated(15, "The toll rose: 15 people were killed, medics said.", "15 people were killed"),
                site="two.example", published="2026-11-23T18:00:00Z"),
        article("a3", stated(17, "Strikes killed at least 17 people overnight.", "killed at least 17 people",
                             qualifier="at_least"), site="three.example", published="2026-11-24T08:00:00Z"),
        article("h1", stated(4, f"Shelling killed 4 people in Raqqa {HOSTILE} officials said.", "killed 4 people",
                             place="Raqqa"), site=f"evil{HOSTILE}.example", published="2026-11-22T08:00:00Z"),
        article("t1", stated(1100, "The toll since the war began is 1,100.", "1,100", place="Khan Younis",
                             scope="cumulative"), site="one.example", published="2026-11-20T08:00:00Z"),
        article("t2", stated(1117, "The ministry's toll rose to 1,117.", "1,117", place="Khan Younis",
                             scope="cumulative"), site="two.example", published="2026-11-24T08:00:00Z"),
    )  # fmt: skip
    return state


@pytest.fixture
def docs() -> AggregatorState:
    """The built state (its ``incidents`` and ``tolls`` are what the view serves)."""
    return built()
