"""Stage 2: what happened to each count (killed, injured, captured, missing).

Each count takes the trigger word that costs least to reach (``triggers.py``), unless its own noun
names its fate ("three wounded"), a partitive names it ("of the wounded") or it is a part listed
with a figure. Coordinated counts (``coordination.py``)
share a kind; a count with no trigger of its own after a reporting verb takes the kind of the
figure before it. Counts in a denial or a hypothesis, or about a crowd, are dropped.
"""

from __future__ import annotations

__all__ = ["assign_kinds", "find_triggers", "link_siblings"]

from collections.abc import Sequence

from services.extractor.casualties.candidates import cue_start, fate_adjective
from services.extractor.casualties.coordination import (
    fate_after,
    inherit_elliptic,
    inherit_list_items,
    link_siblings,
    share_sibling_kinds,
    span_end,
    span_start,
)
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.noun_phrase import GUESSED_NOUN, victim_noun
from services.extractor.casualties.present import present_crowd
from services.extractor.casualties.triggers import (
    MAX_BARE_COST,
    MAX_COST,
    Trigger,
    TriggerContext,
    best_trigger,
    find_triggers,
)

# A count's own verb right after its noun ("three wounded guards later died"): an adverb at most.
_FATE_VERB_COST = 2.0
_DENIAL_REACH = 6  # a denial or hypothesis opens at most this many words before its count or verb
_MODAL_REACH = 2  # a modal or negator stands within two words after a count with an inherited kind
_TOLL_NEAR = 15  # a toll's casualty noun stands within this many tokens of its count
_PARTS_GAP = 3  # an adjective or two between a count's noun and the cue opening its parts


def assign_kinds(tokens: Sequence[Token], cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Give each candidate a kind; drop those that are no casualty figure."""
    triggers = find_triggers(tokens, lex)
    ctx = TriggerContext(tokens, cands, triggers, lex)
    for c in cands:
        if c.kind is not None:
            continue
        best = best_trigger(tokens, c, ctx)
        if c.noun is not None and c.noun.casualty_kind is not None:
            # "توفي 4 جرحى متأثرين بجراحهم", "three wounded died": the wounded who died are killed.
            died = best is not None and best[1][2] == "killed" and best[0] <= _FATE_VERB_COST
            c.kind = "killed" if died and c.noun.casualty_kind == "injured" else c.noun.casualty_kind
            continue
        own_verb = best is not None and best[0] <= MAX_BARE_COST and best[1][0] > c.first
        if (
            c.sibling is not None
            and c.sibling.kind is not None
            and (best is None or best[1][0] > c.first)
            and not own_verb  # "six dead and two others missing"
        ):
            # "قتل ضابط وجنديان وأصيب ثلاثة": a part listed with a figure shares its verb, not the next one
            c.kind = c.sibling.kind
            continue
        if (
            best is not None
            and own_verb
            and c.subset_cue == "partitive"
            and _other_fate_than_total(c, cands, best[1][2])
        ):
            c.subset_cue = None  # "14 suffered burns and two of them died": killed, no part
        named = _partitive_kind(tokens, c, lex)
        if named is not None and (best is None or best[0] > 1):
            c.kind = named  # "Three of the wounded were in a serious condition": injured
            continue
        guessed = c.noun is GUESSED_NOUN and not _has_parts(tokens, c, cands)
        limit = MAX_BARE_COST if (c.bare or guessed) and not c.toll else MAX_COST
        fate = fate_adjective(tokens, c, lex)
        if fate is not None and (best is None or best[1][0] < c.first or best[0] > _FATE_VERB_COST):
            c.kind = fate  # "five wounded soldiers were evacuated"; only their own verb says otherwise
        elif best is not None and best[0] <= limit:
            c.kind = best[1][2]
            c.trigger = best[1][0]
            c.confidence = 0.9 if best[0] <= 2 else 0.75
        else:
            c.kind = fate
    share_sibling_kinds(cands)
    _toll_kinds(tokens, cands, lex, ctx)
    inherit_elliptic(tokens, cands, lex)
    inherit_list_items(tokens, cands, lex)
    share_sibling_kinds(cands)  # again: "مقتل خمسة، رجلان وامرأتان وطفل", the list's head took its kind last
    _losses_of_life(tokens, cands, lex)
    kept = [
        c
        for c in cands
        if (c.kind is not None or c.subset_cue)
        and not _denied(tokens, c, lex)
        # "40 detained, 12 of whom were later released": a part whose own verb is another fate
        and not (c.subset_cue == "partitive" and fate_after(tokens, c, lex))
    ]
    return [c for c in kept if c.noun is not GUESSED_NOUN or c.kind is not None or c.subset_cue]


def _losses_of_life(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """A loss told beside the wounded is of lives ("فقدان 40 شخصا وإصابة 90"): a toll pairs the dead
    with the wounded, and "loss" alone ("فقدان 40 مهاجرا") stays the missing."""
    loss = lex.cues.get("loss_of_life")
    if loss is None:
        return
    for c, nxt in zip(cands, cands[1:], strict=False):
        if c.kind != "missing" or c.trigger is None or match_at(tokens, c.trigger, loss) is None:
            continue
        if nxt.sentence == c.sentence and nxt.kind == "injured" and nxt.parent is None:
            c.kind = "killed"


def _other_fate_than_total(c: Candidate, cands: Sequence[Candidate], kind: str) -> bool:
    """Whether the figure a partitive count would be part of has a kind other than ``kind``."""
    for prev in reversed(cands[: cands.index(c)]):
        if prev.sentence != c.sentence or prev.segment != c.segment:
            return False
        if prev.subset_cue is None:
            return prev.kind is not None and prev.kind != kind
    return False


def _has_parts(tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate]) -> bool:
    """Parts listed right after a count ("30 من العناصر بينهم ثلاثة قادة") make it a count of people."""
    return any(
        o.subset_cue == "direct"
        and 0 < (cue_start(o) or o.first) - span_end(c) <= _PARTS_GAP
        and tokens[o.first].sentence == tokens[c.first].sentence
        for o in cands
    )


def _partitive_kind(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> str | None:
    """The fate a partitive names ("of the wounded", "من المصابين"), if any."""
    if c.subset_cue != "partitive":
        return None
    for t in tokens[c.number.last + 1 : c.np_end + 1]:
        noun = victim_noun(t, lex)
        if noun is not None and noun.casualty_kind is not None:
            return noun.casualty_kind
    return None


def _toll_kinds(
    tokens: Sequence[Token],
    cands: Sequence[Candidate],
    lex: Lexicon,
    ctx: TriggerContext,
) -> None:
    """A bare count in a toll ("ارتفع إلى 17 ... عدد الشهداء") takes the nearest casualty word, else killed."""
    for c in cands:
        if c.kind is not None or not c.toll:
            continue
        near = [
            t
            for t in ctx.triggers
            if tokens[t[0]].sentence == c.sentence
            and abs(t[0] - c.first) <= _TOLL_NEAR
            and not _opens_own_clause(tokens, t, c, ctx)
            and not _past_next_count(t, c, cands)
        ]
        # The toll's own noun comes before its count ("the death toll ... rose to 54,418, with 1,000
        # wounded"): a trigger before the count wins over a nearer one after it.
        near.sort(key=lambda t: (t[0] > c.first, abs(t[0] - c.first)))
        if not near and _other_fate_before(tokens, c, lex):
            continue  # "موجة نزوح قد ترفع العدد إلى 90 ألفا": a toll of the displaced
        c.kind = near[0][2] if near else "killed"
        c.confidence = 0.7


def _opens_own_clause(tokens: Sequence[Token], trig: Trigger, c: Candidate, ctx: TriggerContext) -> bool:
    """A verb after the toll that a conjunction opens and that has its own count ("rose to 12, and
    wounded 30 others") is that count's: the second number takes the second verb's kind."""
    return trig[0] > c.first and trig[0] in ctx.has_object and tokens[trig[0]].conj


def _past_next_count(trig: Trigger, c: Candidate, cands: Sequence[Candidate]) -> bool:
    """A casualty word after the next count of the sentence is that count's ("rose to 30, and some
    40 others suffered wounds"), not the toll's."""
    return any(o.sentence == c.sentence and c.first < o.first < trig[0] for o in cands)


def _other_fate_before(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """A non-casualty fate (displaced, freed) named in the toll's words before its count."""
    lo = max(0, c.first - _TOLL_NEAR)
    return any(
        tokens[k].sentence == c.sentence and match_at(tokens, k, lex.cues.get("not_casualty")) is not None
        for k in range(lo, c.first)
    )


def _denied(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """A count in a denial, a hypothesis or about displaced people is no casualty figure."""
    after = c.trigger if c.trigger is not None and c.trigger > span_end(c) else None
    if after is None and c.inherited:
        after = min(len(tokens), span_end(c) + 1 + _MODAL_REACH)  # "... and 20 could not be found"
    if after is not None:
        # "500 people could die", "12 people were not hurt": a modal or negator before the count's verb
        for k in range(span_end(c) + 1, after):
            if any(match_at(tokens, k, lex.cues.get(cue)) is not None for cue in ("negation", "negators")):
                return True
    if present_crowd(tokens, c, lex):
        return True  # "where 150 people were praying": the crowd the attack struck, not its toll
    lo = max(0, span_start(c) - _DENIAL_REACH)
    clause = tokens[c.first].clause
    if c.trigger is not None and c.trigger < span_start(c):
        lo = max(0, min(lo, c.trigger - _DENIAL_REACH))  # "لم يسفر الهجوم عن وقوع إصابات بين 30 عاملا"
    for k in range(lo, span_start(c)):
        if tokens[k].clause != clause:
            continue
        if match_at(tokens, k, lex.cues.get("negation")) is not None:
            return True
        near = k >= span_start(c) - 2 or (c.trigger is not None and c.trigger - 2 <= k < c.trigger)
        if near and match_at(tokens, k, lex.cues.get("negators")) is not None:
            return True
        # Only right before the count: "نزوح لحوالي 150 ألف مدني", "displaced 300 people".
        if k == span_start(c) - 1 and match_at(tokens, k, lex.cues.get("not_casualty")) is not None:
            return True
    return False
