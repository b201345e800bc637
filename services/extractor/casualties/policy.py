"""Stage 5: the named policies that decide between candidates.

``resolve_overlaps``: two candidates over the same words keep the longer reading.
``merge_restatements``: the same number restated about the same incident (title and body, two
sources, two sentences) is one figure; different numbers, or the same number at different places,
stay apart; parts merge only when their totals merged.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.model import Candidate

_QUALIFIER_PREFERENCE = ("at_least", "more_than", "about", "up_to", "exact")  # the more informative first


def resolve_overlaps(cands: Sequence[Candidate]) -> list[Candidate]:
    """Keep, of candidates sharing tokens, the one that starts first and covers most."""
    ordered = sorted(cands, key=lambda c: (c.segment, c.first, -(c.np_end - c.first)))
    kept: list[Candidate] = []
    for c in ordered:
        clash = any(k.segment == c.segment and k.first <= c.np_end and c.first <= k.np_end for k in kept)
        if not clash:
            kept.append(c)
    return sorted(kept, key=lambda c: (c.segment != "title", c.first))


def _same_figure(a: Candidate, b: Candidate, merged: dict[int, Candidate]) -> bool:
    if (a.kind, a.number.value, a.scope) != (b.kind, b.number.value, b.scope):
        return False
    if a.segment == b.segment and a.sentence == b.sentence:
        return False
    pa = merged.get(id(a.parent), a.parent) if a.parent is not None else None
    pb = merged.get(id(b.parent), b.parent) if b.parent is not None else None
    if pa is not pb:
        return False
    if a.victims != b.victims and "people" not in (a.victims, b.victims):
        return False  # "5 civilians" and "5 soldiers" are two groups
    if "title" in (a.segment, b.segment):
        return True
    return compatible_places(a.place, b.place)


def compatible_places(a: object | None, b: object | None) -> bool:
    """Whether two places can be where one incident happened: same, nested, or in one province."""
    if a is None or b is None or getattr(a, "name", None) == getattr(b, "name", None):
        return True
    if getattr(a, "country", None) != getattr(b, "country", None):
        return False
    if "country" in (getattr(a, "feature", None), getattr(b, "feature", None)):
        return True
    return getattr(a, "admin1", None) is not None and getattr(a, "admin1", None) == getattr(b, "admin1", None)


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
        if twin.place is None:
            twin.place = c.place
    for c in kept:
        if c.parent is not None:
            c.parent = merged.get(id(c.parent), c.parent)
    return kept
