"""When a place name the gazetteer matched is a word of a longer name: a person's or a body's.

"Samuel Okoro", "Tal Abyad Council", "Aung San Suu Kyi", "عبد الله الميادين": a one-word place next to
other capitalised words, two places one word apart, or an Arabic town right after a given name.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from services.extractor.entities import keys
from services.extractor.entities.context import PlaceContext
from services.extractor.entities.gazetteer import Place
from shared.textnorm import NormalizedText

if TYPE_CHECKING:
    from services.extractor.entities.places import Candidate

_NAME_REACH = 40  # characters read on each side of a name for the word next to it
_NEXT_NAME = re.compile(r" ([A-Z][\w'\-]*)")
_PREV_NAME = re.compile(r"(?:^|\s)([A-Z][\w'\-]*) $")
# One capitalised word and nothing else between two names ("Aung San Suu Kyi"): one person's name.
_ONE_NAME_BETWEEN = re.compile(r" [A-Z][\w'\-]* ")


def part_of_longer_name(
    nt: NormalizedText, cand: Candidate, place: Place, countries: set[str], ctx: PlaceContext
) -> bool:
    """A one-word English match right next to another capitalised word is part of a longer name
    ("Samuel Okoro", "Sofia Mensah", "Tal Abyad Council", "Border Guard") when the place is abroad or
    has that name only as an other name: a person, a body or a place the gazetteer lacks."""
    if cand.arabic or " " in cand.key or place.feature in ("country", "admin1") or place.source == "alias":
        return False
    if place.country in countries and cand.key in keys.latin_variants(place.name):
        return False
    after = _NEXT_NAME.match(nt.original_slice(cand.end, min(len(nt.text), cand.end + _NAME_REACH)))
    before = _PREV_NAME.search(nt.original_slice(max(0, cand.start - _NAME_REACH), cand.start))
    words = [m.group(1).lower() for m in (after, before) if m is not None]
    return any(w not in ctx.name_stop and w not in ctx.continuations for w in words)


def outside_full_names(nt: NormalizedText, cands: list[Candidate], ctx: PlaceContext) -> list[Candidate]:
    """Drop English names that share a run of capitalised words with another name, one word between
    them: "Aung San Suu Kyi" holds two place names and is a person's. A place and the words of its
    kind ("Gaza City", "Idlib Province") or of its side ("North Kordofan") are not such a run."""
    inside: set[int] = set()
    for i, (a, b) in enumerate(itertools.pairwise(cands)):
        if a.arabic or b.arabic:
            continue
        between = nt.original_slice(a.end, b.start)
        if _ONE_NAME_BETWEEN.fullmatch(between) and between.strip().lower() not in ctx.continuations:
            inside |= {i, i + 1}
    return [c for i, c in enumerate(cands) if i not in inside]


def surname(mt: str, cand: Candidate, place: Place, ctx: PlaceContext) -> bool:
    """A one-word Arabic town right after a given name is the person's surname ("عبد الله الميادين")."""
    if not cand.arabic or " " in cand.key or cand.glued or place.feature in ("country", "admin1"):
        return False
    return ctx.after_given_name(mt, cand.start)
