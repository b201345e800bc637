"""Stage 3c: parts told by what they are, with no cue: shares of running tolls, the injured by state.

A report on a war often gives the toll since it began and then the toll of a shorter period or of
one group ("since the truce collapsed, 950 of them"), with no "including" between: the later, smaller
toll is a share of the larger one before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon, PhraseSet
from services.extractor.casualties.match import find_all
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.subsets import coordinated_with, same_place, span_end

# Which scopes nest: a running toll stated after a larger one of its kind is its share (a shorter
# period, one group), "since March: 9,752 killed" after "61,258 killed since October".
_NESTING_SCOPES = frozenset({"cumulative"})
# A share this close to the total is the same toll restated (rounded, or another source's count).
_RESTATED_SHARE = 0.9
# Words between a toll and its verb that say it is added to the one before ("have also been killed").
_ADDITIVE_REACH = 6


def link_nested_tolls(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """A running toll with no cue, in a later sentence than a larger running toll of its kind in the
    same text and place, is part of it (the same count over a shorter period or for one group); the
    nearest larger one, so that the wounded of a sub-period point at the wounded total. A toll said
    to come on top ("also") or of another place is another count."""
    additive, earlier = lex.cues.get("toll_additive"), lex.cues.get("toll_earlier")
    for i, c in enumerate(cands):
        if c.parent is not None or c.scope not in _NESTING_SCOPES or c.kind is None:
            continue
        if _said_additive(tokens, c, additive) or _said_earlier(tokens, c, earlier):
            continue
        for p in reversed(cands[:i]):
            if p.parent is not None or p.segment != c.segment or (p.kind, p.scope) != (c.kind, c.scope):
                continue
            if p.number.value <= c.number.value:
                continue
            # The nearest larger toll decides: one in the same sentence is a fellow, not a total.
            if _nests_in(c, p):
                c.parent = p
                c.subset_cue = "nested"
            break


def _nests_in(c: Candidate, p: Candidate) -> bool:
    """Whether toll ``c`` is a share of the larger toll ``p`` before it: a later sentence, clearly
    smaller (not a restatement), of the same place and not listed beside it."""
    if p.sentence >= c.sentence or c.number.value > _RESTATED_SHARE * p.number.value:
        return False
    return same_place(c, p) and not coordinated_with(c, p)


def _said_additive(tokens: Sequence[Token], c: Candidate, additive: PhraseSet | None) -> bool:
    """Whether an "also" stands near the count in its clause, before or after it."""
    clause = tokens[c.first].clause
    lo = max(0, c.first - _ADDITIVE_REACH)
    while tokens[lo].clause != clause:
        lo += 1
    hi = min(len(tokens), span_end(c) + _ADDITIVE_REACH)
    while hi > span_end(c) + 1 and tokens[hi - 1].clause != clause:
        hi -= 1
    return bool(find_all(tokens, additive, lo, hi))


def _said_earlier(tokens: Sequence[Token], c: Candidate, earlier: PhraseSet | None) -> bool:
    """Whether the toll's sentence says it was an earlier count ("had said earlier"): the toll as it
    stood before, not a share of the latest one."""
    sentence = tokens[c.first].sentence
    lo, hi = c.first, c.first
    while lo > 0 and tokens[lo - 1].sentence == sentence:
        lo -= 1
    while hi < len(tokens) and tokens[hi].sentence == sentence:
        hi += 1
    return bool(find_all(tokens, earlier, lo, hi))


# A count of the injured by their state ("17 being treated in hospital", "three in critical condition")
# follows the total it is drawn from within a few sentences, as a lead's total is elaborated.
_STATE_SENTENCES = 3


def link_state_parts(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """A count said to be in hospital or in a critical state, with no cue of its own, is part of the
    nearest larger figure of its kind before it: those still treated are among the wounded."""
    state = lex.cues.get("subset_state")
    for i, c in enumerate(cands):
        if c.parent is not None or c.kind is None or not _in_clause(tokens, c, state):
            continue
        for p in reversed(cands[:i]):
            if p.segment != c.segment or c.sentence - p.sentence > _STATE_SENTENCES:
                break
            if (
                p.parent is None
                and (p.kind, p.scope) == (c.kind, c.scope)
                and p.number.value > c.number.value
            ):
                c.parent = p
                c.subset_cue = "state"
                break


def _in_clause(tokens: Sequence[Token], c: Candidate, cue: PhraseSet | None) -> bool:
    """Whether the cue stands in the count's clause, after the count."""
    clause = tokens[c.first].clause
    hi = c.first
    while hi < len(tokens) and tokens[hi].clause == clause:
        hi += 1
    return bool(find_all(tokens, cue, c.first, hi))


# "They were among the 31 victims": the words between the cue and the count ("the", "at least").
_AMONG_REACH = 3


def link_among_totals(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """ "They were among 31 people killed that day": a larger total stated after a figure, opened by
    "were among", holds the figure the pronoun stands for, the nearest top-level one of its kind."""
    cue = lex.cues.get("superset_before")
    for i, total in enumerate(cands):
        start = total.qualifier_span[0] if total.qualifier_span else total.first
        start = min(start, total.first)
        if total.parent is not None or not find_all(tokens, cue, max(0, start - _AMONG_REACH), start):
            continue
        for p in reversed(cands[:i]):
            if p.segment != total.segment or total.sentence - p.sentence > 1:
                break
            if p.parent is None and (p.kind, p.scope) == (total.kind, total.scope):
                if p.number.value < total.number.value:
                    p.parent = total
                    p.subset_cue = "among"
                break
