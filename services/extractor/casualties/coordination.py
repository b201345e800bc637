"""Coordinated counts: parts listed together share a fate, and a count with no trigger of its own
carries on the figure it is coordinated with ("قتل 5 مدنيين و3 أطفال", "killed 5 soldiers and 3
civilians"), unless a fate of its own or another verb comes with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon, PhraseSet
from services.extractor.casualties.match import find_all, match_at
from services.extractor.casualties.model import Candidate, Token

JOINERS = frozenset({"و", "and", ",", "&"})
_PART_DESCRIPTION = 5  # words describing a part before the next coordinated part
# A line that announces a list ends with a colon ("as follows:", "and they are:").
_LIST_OPENERS = frozenset({":"})


def span_start(c: Candidate) -> int:
    """First token of the count with its qualifier ("at least 12")."""
    q = c.qualifier_span
    return q[0] if q is not None and q[0] < c.first else c.first


def span_end(c: Candidate) -> int:
    """Last token of the count's noun phrase or of a qualifier after it ("12 على الأقل")."""
    q = c.qualifier_span
    return q[1] if q is not None and q[1] > c.np_end else c.np_end


def link_siblings(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Mark counts coordinated with the one before ("46 طفلا و54 مواطنة", "16 children and 11 women")."""
    for a, b in zip(cands, cands[1:], strict=False):
        if b.sibling is not None or a.segment != b.segment or a.sentence != b.sentence:
            continue
        between = [t for t in tokens[span_end(a) + 1 : span_start(b)] if t.text not in JOINERS]
        joined = (
            tokens[span_start(b)].conj
            or tokens[span_start(b) - 1].text in JOINERS
            or (
                span_end(a) + 1 < span_start(b) and tokens[span_end(a) + 1].text in JOINERS
            )  # "a woman and her two"
        )
        glued = joined or span_end(a) + 1 < span_start(b)
        # A part may carry a short description before the next part ("بينهم طفل دون سن 18 وثلاث
        # نساء", "including a boy aged 12 and three women").
        # A singular or dual may carry a description too ("ضابط برتبة ملازم وجنديان"), but never a verb
        # of its own ("A child was killed and three women were wounded").
        listed = a.subset_cue is not None or (
            a.number.source in ("one", "dual")
            and not find_all(tokens, lex.triggers, span_end(a) + 1, span_start(b))
        )
        described = listed and joined and len(between) <= _PART_DESCRIPTION
        same_clause = tokens[span_start(b)].clause == tokens[span_end(a)].clause
        if (
            b.bare
            or not glued
            or _own_fate(a, b)
            or (between and not (described and same_clause))
            or fate_after(tokens, b, lex)
        ):
            continue
        if b.subset_cue == "after" and not a.subset_cue:
            a.subset_cue = "after"  # "16 children and 11 women were among the dead": both are parts
        b.sibling = a
        b.subset_cue = b.subset_cue or "sibling"


def _own_fate(a: Candidate, b: Candidate) -> bool:
    """A count whose noun is a fate of its own ("three deaths ... and 9 injuries") is no part listed
    with the count before it."""
    fate = b.noun.casualty_kind if b.noun is not None else None
    return fate is not None and (a.noun is None or a.noun.casualty_kind != fate)


def share_sibling_kinds(cands: Sequence[Candidate]) -> None:
    """A kind found for one of two coordinated counts is the other's too."""
    for c in cands:
        if c.sibling is None:
            continue
        if c.kind is None and c.sibling.kind is not None:
            c.kind = c.sibling.kind
        elif c.sibling.kind is None and c.kind is not None:
            c.sibling.kind = c.kind


def inherit_elliptic(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Give a count after a reporting word the kind of the figure before it ("فيما سجل 30 عنصرا")."""
    record = lex.cues.get("record_verbs")
    for i, c in enumerate(cands):
        if c.kind is not None or c.subset_cue or i == 0:
            continue
        joined = tokens[span_start(c)].conj or (
            span_start(c) > 0 and tokens[span_start(c) - 1].text in JOINERS
        )
        if c.noun is None and not joined:
            continue  # a bare count carries on a figure only as "... و4 في الغارة الثانية"
        prev = _previous_figure(cands, i) if joined else cands[i - 1]
        if prev is None or prev.kind is None or prev.segment != c.segment or prev.sentence != c.sentence:
            continue
        window = range(max(span_end(prev) + 1, span_start(c) - 3), span_start(c))
        if fate_after(tokens, c, lex):
            continue  # "killed 3 and 2,000 people fled": a count of another fate
        if (
            joined
            or any(match_at(tokens, k, record) is not None for k in window)
            or (
                span_start(c) - span_end(prev) <= 3
                and not _verb_between(tokens, span_end(prev) + 1, span_start(c), lex)
            )
        ):
            c.kind = prev.kind
            c.inherited = True
            c.confidence = 0.6


def _previous_figure(cands: Sequence[Candidate], i: int) -> Candidate | None:
    """The figure a coordinated count carries on: the one before it, past the parts listed after that
    one ("قتل 12 مواطنا هم 3 مواطنات وطفلان ...، و5 أشخاص بينهم طفلة ...، ورجلان")."""
    c = cands[i]
    for prev in reversed(cands[:i]):
        if prev.segment != c.segment or prev.sentence != c.sentence:
            return None
        if prev.kind is not None or not prev.subset_cue:
            return prev
    return None


def _verb_between(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """A word between two counts that is neither punctuation, a joiner nor skippable: a verb of the
    second count's own ("killed 900 and forced 5,000 to flee")."""
    skippable = lex.cues.get("skippable")
    return any(
        tokens[k].kind == "word" and tokens[k].text not in JOINERS and match_at(tokens, k, skippable) is None
        for k in range(lo, hi)
    )


def fate_after(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """A non-casualty verb right after the count's noun phrase ("2,000 people fled")."""
    j = span_end(c) + 1
    for _ in range(3):
        if j >= len(tokens):
            return False
        if match_at(tokens, j, lex.cues.get("not_casualty")) is not None:
            return True
        hit = match_at(tokens, j, lex.cues.get("skippable"))
        if hit is None:
            return False
        j += hit[0]
    return False


def inherit_list_items(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """A total introduced with a colon and broken down one line per group ("... left 40 dead, as
    follows:" then "- 25 civilians." "- 15 soldiers."): each count opening a marked line (a bullet or
    a dash) with no trigger of its own carries on the figure that introduced the list."""
    marks = lex.cues.get("list_marks")
    if marks is None:
        return
    for c in cands:
        if c.kind is not None or c.subset_cue:
            continue
        head = _list_head(tokens, c, cands, marks)
        if head is not None:
            c.kind = head.kind
            c.inherited = True
            c.confidence = 0.6


def _opens_item(tokens: Sequence[Token], sentence_start: int, marks: PhraseSet) -> bool:
    return match_at(tokens, sentence_start, marks) is not None


def _list_head(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], marks: PhraseSet
) -> Candidate | None:
    """The figure that introduces the list whose item the count opens, if it opens one."""
    start = span_start(c) - 1  # the list mark before the count
    if start < 0:
        return None
    opens_line = start == 0 or tokens[start - 1].sentence != tokens[start].sentence
    if not opens_line or not _opens_item(tokens, start, marks):
        return None
    k = start - 1  # back over the items before this one to the line that introduced them
    while k >= 0:
        first = _first_of_sentence(tokens, k)
        if not _opens_item(tokens, first, marks):
            break
        k = first - 1
    if k < 0 or tokens[k].text not in _LIST_OPENERS:
        return None
    sentence = tokens[k].sentence
    heads = [o for o in cands if o.segment == c.segment and o.sentence == sentence and o.kind is not None]
    return heads[-1] if heads else None


def _first_of_sentence(tokens: Sequence[Token], k: int) -> int:
    sentence = tokens[k].sentence
    while k > 0 and tokens[k - 1].sentence == sentence:
        k -= 1
    return k
