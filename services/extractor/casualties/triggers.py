"""Which trigger word is a count's: the one that costs least to reach from it.

Tokens in between cost one each, punctuation two, another count five; a trigger after the count
that has its own object ("killed 14 and wounded 30") is someone else's, and so is one before it
that has its own subject ("a man was killed and two others ... were hurt"). Parenthetical parts
("including seven children") and linking words cost nothing. Read by ``kinds.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.candidates import cue_start
from services.extractor.casualties.coordination import JOINERS, span_end, span_start
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all, match_at
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.noun_phrase import victim_noun

# A trigger: (first token, number of tokens, kind).
Trigger = tuple[int, int, str]

MAX_COST = 7.0  # a trigger further than this is not about the count
MAX_BARE_COST = 0.5  # a count without a noun must stand right next to its trigger
_AFTER_PENALTY = 0.5  # on a tie, the trigger before the count wins ("قتل 14 ... وأصيب")
_OWNED_PENALTY = 5.0  # crossing another count, or taking a trigger that has its own object
_FREE_PUNCT = frozenset("\"'()«»")
# A verb's object follows it within this many tokens ("killed at least 14", "killed some 14");
# a verb's subject precedes it across as many auxiliaries ("5 people have reportedly been killed").
_OBJECT_REACH = 3
# Taking the verb of another count's clause ("a man was killed and two others ... were hurt"):
# less than owning its object, so a count with no verb of its own still shares it.
_SUBJECT_PENALTY = 3.0
_CLAUSE_PUNCT = frozenset(",;:")
_CLAUSE_ENDS = frozenset(";:.")
# A part set off by commas rarely describes itself in more than about a dozen words (tokens: "man's"
# is three) before the closing comma.
_PARENTHESIS_REACH = 16
_PART_CUES = frozenset({"direct", "enum", "partitive", "after"})


def find_triggers(tokens: Sequence[Token], lex: Lexicon) -> list[Trigger]:
    """Trigger phrases as (start, length, kind); none inside a pair of fates ("killed or maimed",
    "شهيد وجريح"), which states no kind of its own."""
    paired = {
        k
        for start, length, _ in find_all(tokens, lex.cues.get("combined"))
        for k in range(start, start + length)
    }
    found = [
        (s, n, str(k))
        for s, n, k in find_all(tokens, lex.triggers)
        if s not in paired and not (n == 1 and _object_word(tokens[s], lex))
    ]
    # A fate noun names a toll's kind as a trigger would ("ارتفع عدد المخطوفين إلى 14"); one that
    # follows a count is that count's own noun and is left out by the cost (count tokens).
    covered = {k for s, n, _ in found for k in range(s, s + n)} | paired
    for i, tok in enumerate(tokens):
        noun = victim_noun(tok, lex) if i not in covered and tok.kind == "word" else None
        if noun is not None and noun.casualty_kind is not None:
            found.append((i, 1, noun.casualty_kind))
    return sorted(found)


def _object_word(tok: Token, lex: Lexicon) -> bool:
    """A word that reads better as a noun of things than as a trigger: "أسرة" (a family) spells the
    verb "أسر" (captured) once its final letter is taken for a pronoun."""
    blocks = lex.cues["block_nouns"].by_first
    trigger_len = max((len(f) for f in tok.forms if f in lex.triggers.by_first), default=0)
    return any(len(f) > trigger_len for f in tok.forms if f in blocks)


def _subset_spans(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> set[int]:
    """Tokens of parenthetical parts ("including seven children", "بينهم أطفال") that triggers may jump."""
    spans: set[int] = set()
    for c in cands:
        if c.subset_cue in ("direct", "enum", "sibling", "after", "partitive"):
            lo = cue_start(c) or span_start(c)
            spans.update(_with_marks(tokens, lo, _parenthesis_end(tokens, lo, span_end(c))))
    cue = lex.cues.get("subset_before")
    for start, length, _ in find_all(tokens, cue):
        k = start + length
        while (
            k < len(tokens)
            and k - start < length + 5
            and (victim_noun(tokens[k], lex) is not None or tokens[k].text in JOINERS)
        ):
            k += 1
        end = _parenthesis_end(tokens, start, k - 1)
        if end >= start + length:
            spans.update(_with_marks(tokens, start, end))
    return spans


def _parenthesis_end(tokens: Sequence[Token], lo: int, hi: int) -> int:
    """A part set off by commas runs to the closing comma ("25 villagers, including 9 children who had
    been sleeping in the mosque, were killed"): the description is the part's, not a gap to the verb."""
    if lo == 0 or tokens[lo - 1].text != ",":
        return hi
    for k in range(hi + 1, min(len(tokens), hi + 1 + _PARENTHESIS_REACH)):
        if tokens[k].sentence != tokens[hi].sentence or tokens[k].text in _CLAUSE_ENDS:
            return hi
        if tokens[k].text == ",":
            return k - 1
    return hi


def _with_marks(tokens: Sequence[Token], lo: int, hi: int) -> range:
    """A part's tokens with the dashes or commas that set it off ("12 civilians -- including 7 children --")."""
    while lo > 0 and tokens[lo - 1].kind == "punct":
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1].kind == "punct" and tokens[hi + 1].text != ".":
        hi += 1
    return range(lo, hi + 1)


def _cost(tokens: Sequence[Token], c: Candidate, trig: Trigger, ctx: TriggerContext) -> float | None:
    t_start, t_len, _ = trig
    t_end = t_start + t_len - 1
    if t_end < span_start(c):
        gap, cost = range(t_end + 1, span_start(c)), 0.0
        if ctx.has_subject.get(t_start, c.first) != c.first:
            cost += _SUBJECT_PENALTY
    elif t_start > span_end(c):
        gap, cost = range(span_end(c) + 1, t_start), _AFTER_PENALTY
        if t_start in ctx.has_object and tokens[t_start].conj:
            return None  # "ارتفع العدد إلى 12 وجرح 30 آخرون": a new clause's verb is its own count's
        if t_start in ctx.has_object and not _predicate_of(tokens, c, t_start):
            cost += _OWNED_PENALTY
    else:
        return None
    sentence = tokens[c.first].sentence
    if tokens[t_start].sentence != sentence:
        return None
    for k in gap:
        tok = tokens[k]
        if k in ctx.subset_tokens or k in ctx.own_tokens.get(id(c), ()):
            continue
        if k in ctx.count_tokens:
            cost += _OWNED_PENALTY
        elif tok.kind == "punct":
            cost += 0 if tok.text in _FREE_PUNCT else 2
        elif not any(match_at(tokens, k, cue) is not None for cue in ctx.links):
            cost += 1
        if cost > MAX_COST:
            return None
    return cost


def _predicate_of(tokens: Sequence[Token], c: Candidate, t_start: int) -> bool:
    """A trigger right after the count's noun phrase is its own verb ("14 people injured, including
    three"), unless a conjunction opens it ("وجنديان وأصيب ثلاثة")."""
    return t_start == span_end(c) + 1 and not tokens[t_start].conj


class TriggerContext:
    """Token sets shared by the cost computations of one text."""

    def __init__(
        self,
        tokens: Sequence[Token],
        cands: Sequence[Candidate],
        triggers: Sequence[Trigger],
        lex: Lexicon,
    ):
        self.triggers = triggers
        self.skippable = lex.cues.get("skippable")
        # Words that cost nothing between a count and its trigger: skippable ones, a toll's verb linking
        # its noun to its count ("عدد المصابين بلغ 40", "toll reached 40") and verbs linking a fate to
        # the people it fell on ("حملة اعتقالات طالت 35 شابا").
        self.links = [lex.cues.get(name) for name in ("skippable", "toll_words", "linking_verbs")]
        self.subset_tokens = _subset_spans(tokens, cands, lex)
        self.count_tokens = {k for c in cands for k in range(c.first, c.np_end + 1)}
        self.own_tokens = {id(c): set(range(span_start(c), span_end(c) + 1)) for c in cands}
        self.by_sentence: dict[int, list[Trigger]] = {}
        for trig in triggers:
            self.by_sentence.setdefault(tokens[trig[0]].sentence, []).append(trig)
        self.has_object = _triggers_with_object(tokens, cands, triggers)
        self.has_subject = _triggers_with_subject(tokens, cands, triggers, lex)


def _triggers_with_object(
    tokens: Sequence[Token], cands: Sequence[Candidate], triggers: Sequence[Trigger]
) -> set[int]:
    """Triggers whose object is a count right after them ("killed 14 and wounded 30"): that count is
    theirs. A count after a comma or a conjunction opens another clause ("were killed and 14 people
    injured", "were wounded, three seriously"), and a part is no object ("injured, including three")."""
    starts = {span_start(c): c for c in cands if c.subset_cue not in _PART_CUES}
    out: set[int] = set()
    for t_start, t_len, _ in triggers:
        k = t_start + t_len
        for _ in range(_OBJECT_REACH):
            if k >= len(tokens) or tokens[k].text in JOINERS or tokens[k].text in _CLAUSE_PUNCT:
                break
            if k in starts:
                if not tokens[k].conj:  # "قتل 5 وأصيب 3": the و opens a clause
                    out.add(t_start)
                break
            k += 1
    return out


def _triggers_with_subject(
    tokens: Sequence[Token],
    cands: Sequence[Candidate],
    triggers: Sequence[Trigger],
    lex: Lexicon,
) -> dict[int, int]:
    """Triggers whose subject is a count right before them ("one person was killed"), with that count's
    first token: a later count in the sentence ("... and three others suffered injuries") has a verb
    of its own when one follows it."""
    ends = {span_end(c): c.first for c in cands}
    skippable = lex.cues.get("skippable")
    out: dict[int, int] = {}
    for t_start, _, _ in triggers:
        if tokens[t_start].conj:  # "قتلوا 7 مدنيين وأصابوا أربعة": a new clause
            continue
        k = t_start - 1
        for _ in range(_OBJECT_REACH):
            if k in ends:
                out[t_start] = ends[k]
                break
            if k < 0 or match_at(tokens, k, skippable) is None:
                break
            k -= 1
    return out


def best_trigger(tokens: Sequence[Token], c: Candidate, ctx: TriggerContext) -> tuple[float, Trigger] | None:
    """The cheapest trigger of the count's sentence: (cost, trigger)."""
    best = None
    for trig in ctx.by_sentence.get(tokens[c.first].sentence, ()):
        if any(k in ctx.count_tokens for k in range(trig[0], trig[0] + trig[1])):
            continue  # "20 قتيلا": the noun belongs to its count
        cost = _cost(tokens, c, trig, ctx)
        if cost is None:
            continue
        # A running toll names its fate before its count ("ارتفاع قتلى ... إلى 140 طبيبا فيما ... الجرحى"):
        # a trigger before it wins over a cheaper one after it.
        before = trig[0] < c.first
        if (
            best is None
            or (c.toll and before and best[1][0] > c.first)
            or (cost < best[0] and not (c.toll and best[1][0] < c.first and not before))
        ):
            best = (cost, trig)
    return best
