"""Stage 5: the named policies that decide between candidates.

``resolve_overlaps``: two candidates over the same words keep the longer reading.
``merge_restatements``: the same number restated about the same incident (title and body, two
sources, two sentences) is one figure; different numbers, or the same number at different places,
stay apart; parts merge only when their totals merged.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.model import Candidate
from services.extractor.casualties.new_events import NEW_EVENT

_QUALIFIER_PREFERENCE = ("at_least", "more_than", "about", "up_to", "exact")  # the more informative first


def resolve_overlaps(cands: Sequence[Candidate]) -> list[Candidate]:
    """Keep, of candidates sharing tokens, the one that starts first and covers most."""
    ordered = sorted(cands, key=lambda c: (c.segment, c.first, -(c.np_end - c.first)))
    kept: list[Candidate] = []
    reach: dict[str, int] = {}  # per segment, the last token covered by a kept candidate
    for c in ordered:
        # Kept ones start no later than c, so c clashes exactly when one of them reaches its start.
        if c.first > reach.get(c.segment, -1):
            kept.append(c)
            reach[c.segment] = c.np_end
    return sorted(kept, key=lambda c: (c.segment != "title", c.first))


def _same_figure(a: Candidate, b: Candidate, merged: dict[int, Candidate]) -> bool:
    if (a.kind, a.number.value) != (b.kind, b.number.value):
        return False
    if a.scope != b.scope and "title" not in (a.segment, b.segment):
        return False  # a headline has no room for its period: the body's scope decides
    if a.segment == b.segment and a.sentence == b.sentence:
        return False
    if a.segment == b.segment == "body" and a.sentence < b.sentence and NEW_EVENT in b.notes:
        return False  # "In a separate attack, two ...", "two more officers died": not said before
    pa = merged.get(id(a.parent), a.parent) if a.parent is not None else None
    pb = merged.get(id(b.parent), b.parent) if b.parent is not None else None
    if pa is not pb and not _part_stated_first(a, b, pa, pb):
        return False
    if a.parent is not None and a.parent is b.parent and not _lead_and_listing(a, b, a.parent):
        # Two parts listed under one statement of a total are two of its items ("a civilian in X ...
        # a civilian in Y"); a part restated with its restated total is one figure, and so is a
        # group's toll told in the lead and again in the total's listing.
        return False
    if a.victims != b.victims and "people" not in (a.victims, b.victims):
        return False  # "5 civilians" and "5 soldiers" are two groups
    if "title" in (a.segment, b.segment):
        return True
    if a.number.source == b.number.source == "one" and a.place is not None and b.place is not None:
        # "a civilian was killed in X ... a civilian in Y": one person named twice in a body is
        # named at one place; two places, even in one province, are two people.
        return getattr(a.place, "name", None) == getattr(b.place, "name", None)
    return compatible_places(a.place, b.place)


def _lead_and_listing(a: Candidate, b: Candidate, total: Candidate) -> bool:
    """One of two parts stated before its total (the lead), the other after it (the listing)."""
    if not a.segment == b.segment == total.segment:
        return False
    return (a.first < total.first) != (b.first < total.first)


def _part_stated_first(a: Candidate, b: Candidate, pa: Candidate | None, pb: Candidate | None) -> bool:
    """A lead that names a group's toll before the article gives the total ("Four police officers
    were killed ..." then "killing eight ... Four police officers were killed alongside ..."): the
    same named group restated later as a part of the total is that part."""
    return (
        pa is None
        and pb is not None
        and a.segment == b.segment == "body"
        and a.sentence < b.sentence
        and a.victims == b.victims != "people"
    )


def compatible_places(a: object | None, b: object | None) -> bool:
    """Whether two places can be where one incident happened: same, nested, or in one province."""
    if a is None or b is None or getattr(a, "name", None) == getattr(b, "name", None):
        return True
    if getattr(a, "country", None) != getattr(b, "country", None):
        return False
    if "country" in (getattr(a, "feature", None), getattr(b, "feature", None)):
        return True
    if getattr(a, "admin1", None) is None or getattr(b, "admin1", None) is None:
        # A place read from the text alone ("the village of X") has no known province: it may be in
        # the other's; two numbers restated in one article are then one figure.
        return getattr(a, "source", None) == "text" or getattr(b, "source", None) == "text"
    return getattr(a, "admin1", None) == getattr(b, "admin1", None)


def merge_restatements(cands: Sequence[Candidate]) -> list[Candidate]:
    """One figure per restated number; body evidence is kept over the title's."""
    order = [c for c in cands if c.segment != "title"] + [c for c in cands if c.segment == "title"]
    merged: dict[int, Candidate] = {}
    kept: list[Candidate] = []
    for c in order:
        twin = next((k for k in kept if _same_figure(k, c, merged)), None)
        if twin is None:
            kept.append(c)
            continue
        merged[id(c)] = twin
        if _QUALIFIER_PREFERENCE.index(c.qualifier) < _QUALIFIER_PREFERENCE.index(twin.qualifier):
            twin.qualifier = c.qualifier
        twin.confidence = max(twin.confidence, c.confidence)
        named = c.noun is not None and c.noun.category == c.victims
        if twin.victims == "people" and c.victims != "people" and (named or c.segment != "title"):
            twin.victims = c.victims  # "more than 50 dead" restates "50 soldiers": the named group
        if twin.place is None:
            twin.place = c.place
        if twin.parent is None and c.parent is not None and c.parent is not twin:
            # The part said before its total: it is read where the total's statement places it.
            twin.parent, twin.subset_cue = c.parent, c.subset_cue
            twin.place = c.place or twin.place
    for c in kept:
        if c.parent is not None:
            c.parent = merged.get(id(c.parent), c.parent)
    return kept
