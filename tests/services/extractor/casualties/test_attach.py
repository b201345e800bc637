"""Victims and actors: who the count is about, who caused it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.extractor.casualties import extract_figures


@dataclass(frozen=True)
class Actor:
    start: int
    end: int
    name: str
    kind: str


@dataclass
class Ents:
    places: list[object] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)


PARTIES = {
    "Northern Army": "state_forces",
    "Red Brigade": "armed_group",
    "Free Monitor": "monitor",
    "Wire Agency": "news_agency",
}


def actors_of(text: str) -> list[str | None]:
    found = [
        Actor(m.start(), m.end(), name, kind)
        for name, kind in PARTIES.items()
        for m in re.finditer(name, text)
    ]
    figs = extract_figures(text, "en", None, Ents([], sorted(found, key=lambda a: a.start)), None)
    return [f["actor"] for f in figs]


def test_the_party_that_struck_is_the_actor_not_the_source() -> None:
    assert actors_of("Northern Army shelling killed 7 civilians, the Free Monitor told Wire Agency.") == [
        "Northern Army"
    ]


def test_the_target_is_not_the_actor() -> None:
    assert actors_of("Air strikes killed 12 fighters of the Red Brigade.") == [None]


def test_a_hedged_attribution_leaves_no_actor() -> None:
    assert actors_of("Jets, probably of the Northern Army, killed 5 people in the village.") == [None]


def test_parts_take_their_totals_victims_when_named_by_role() -> None:
    figs = extract_figures("Shelling killed 9 civilians, including 2 men and 3 women.", "en")
    assert [(f["count"], f["victims"]) for f in figs] == [(9, "civilians"), (2, "civilians"), (3, "women")]
