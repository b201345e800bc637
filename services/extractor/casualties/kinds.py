"""Stage 2: what happened to each count (killed, injured, captured, missing).

Each count takes the trigger word that costs least to reach: tokens in between cost one each,
punctuation two, another count five; a trigger after the count that has its own object
("killed 14 and wounded 30") is someone else's. Coordinated counts share a kind, a count with
no trigger of its own after a reporting verb takes the kind of the figure before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.candidates import GUESSED_NOUN, cue_start, victim_noun
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all, match_at
from services.extractor.casualties.model import Candidate, Token

MAX_COST = 7.0  # a trigger further than this is not about the count
MAX_BARE_COST = 0.5  # a count without a noun must stand right next to its trigger
_AFTER_PENALTY = 0.5  # on a tie, the trigger before the count wins ("قتل 14 ... وأصيب")
_OWNED_PENALTY = 5.0  # crossing another count, or taking a trigger that has its own object
_FREE_PUNCT = frozenset("\"'()«»")
_JOINERS = frozenset({"و", "and", ",", "&"})
_PART_DESCRIPTION = 5  # words describing a part before the next coordinated part


def find_triggers(tokens: Sequence[Token], lex: Lexicon) -> list[tuple[int, int, str]]:
    """Trigger phrases as (start, length, kind)."""
    return [(s, n, str(k)) for s, n, k in find_all(tokens, lex.triggers)]


def _start(c: Candidate) -> int:
    q = c.qualifier_span
    return q[0] if q is not None and q[0] < c.first else c.first


def _end(c: Candidate) -> int:
    q = c.qualifier_span
    return q[1] if q is not None and q[1] > c.np_end else c.np_end


def _subset_spans(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> set[int]:
    """Tokens of parenthetical parts ("including seven children", "بينهم أطفال") that triggers may jump."""
    spans: set[int] = set()
    for c in cands:
        if c.subset_cue in ("direct", "enum", "sibling", "after", "partitive"):
            spans.update(_with_marks(tokens, cue_start(c) or _start(c), _end(c)))
    cue = lex.cues.get("subset_before")
    for start, length, _ in find_all(tokens, cue):
        k = start + length
        while (
            k < len(tokens)
            and k - start < length + 5
            and (victim_noun(tokens[k], lex) is not None or tokens[k].text in _JOINERS)
        ):
            k += 1
        if k > start + length:
            spans.update(_with_marks(tokens, start, k - 1))
    return spans


def _with_marks(tokens: Sequence[Token], lo: int, hi: int) -> range:
    """A part's tokens with the dashes or commas that set it off ("12 civilians -- including 7 children --")."""
    while lo > 0 and tokens[lo - 1].kind == "punct":
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1].kind == "punct" and tokens[hi + 1].text != ".":
        hi += 1
    return range(lo, hi + 1)


def _cost(tokens: Sequence[Token], c: Candidate, trig: tuple[int, int, str], ctx: _Context) -> float | None:
    t_start, t_len, _ = trig
    t_end = t_start + t_len - 1
    if t_end < _start(c):
        gap, cost = range(t_end + 1, _start(c)), 0.0
    elif t_start > _end(c):
        gap, cost = range(_end(c) + 1, t_start), _AFTER_PENALTY
        if t_start in ctx.has_object:
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
        elif match_at(tokens, k, ctx.skippable) is None:
            cost += 1
        if cost > MAX_COST:
            return None
    return cost


class _Context:
    """Token sets shared by the cost computations of one text."""

    def __init__(
        self,
        tokens: Sequence[Token],
        cands: Sequence[Candidate],
        triggers: Sequence[tuple[int, int, str]],
        lex: Lexicon,
    ):
        self.skippable = lex.cues.get("skippable")
        self.subset_tokens = _subset_spans(tokens, cands, lex)
        self.count_tokens = {k for c in cands for k in range(c.first, c.np_end + 1)}
        self.own_tokens = {id(c): set(range(_start(c), _end(c) + 1)) for c in cands}
        self.by_sentence: dict[int, list[tuple[int, int, str]]] = {}
        for trig in triggers:
            self.by_sentence.setdefault(tokens[trig[0]].sentence, []).append(trig)
        # A part after its cue ("26 قضوا اليوم بينهم ثلاثة عناصر") is no object of the verb before it.
        starts = {_start(c) for c in cands if c.subset_cue not in ("direct", "enum")}
        self.has_object = set()
        for t_start, t_len, _ in triggers:
            nxt = t_start + t_len
            while nxt < len(tokens) and tokens[nxt].kind == "punct":
                nxt += 1
            if any(s in starts for s in range(nxt, nxt + 3)):
                self.has_object.add(t_start)


def _best_trigger(
    tokens: Sequence[Token], c: Candidate, ctx: _Context
) -> tuple[float, tuple[int, int, str]] | None:
    """The cheapest trigger of the count's sentence: (cost, trigger)."""
    best = None
    for trig in ctx.by_sentence.get(tokens[c.first].sentence, ()):
        if any(k in ctx.count_tokens for k in range(trig[0], trig[0] + trig[1])):
            continue  # "20 قتيلا": the noun belongs to its count
        cost = _cost(tokens, c, trig, ctx)
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, trig)
    return best


def link_siblings(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Mark counts coordinated with the one before ("46 طفلا و54 مواطنة", "16 children and 11 women")."""
    for a, b in zip(cands, cands[1:], strict=False):
        if b.sibling is not None or a.segment != b.segment or a.sentence != b.sentence:
            continue
        between = [t for t in tokens[_end(a) + 1 : _start(b)] if t.text not in _JOINERS]
        joined = (
            tokens[_start(b)].text.startswith("و")
            or tokens[_start(b) - 1].text in _JOINERS
            or (_end(a) + 1 < _start(b) and tokens[_end(a) + 1].text in _JOINERS)  # "a woman and her two"
        )
        glued = joined or _end(a) + 1 < _start(b)
        # A part may carry a short description before the next part ("بينهم طفل دون سن 18 وثلاث
        # نساء", "including a boy aged 12 and three women").
        # A singular or dual may carry a description too ("ضابط برتبة ملازم وجنديان"), but never a verb
        # of its own ("A child was killed and three women were wounded").
        listed = a.subset_cue is not None or (
            a.number.source in ("one", "dual") and not find_all(tokens, lex.triggers, _end(a) + 1, _start(b))
        )
        described = listed and joined and len(between) <= _PART_DESCRIPTION
        same_clause = tokens[_start(b)].clause == tokens[_end(a)].clause
        if (
            b.bare
            or not glued
            or (between and not (described and same_clause))
            or _fate_after(tokens, b, lex)
        ):
            continue
        if b.subset_cue == "after" and not a.subset_cue:
            a.subset_cue = "after"  # "16 children and 11 women were among the dead": both are parts
        b.sibling = a
        b.subset_cue = b.subset_cue or "sibling"


def assign_kinds(tokens: Sequence[Token], cands: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Give each candidate a kind; drop those that are no casualty figure."""
    triggers = find_triggers(tokens, lex)
    ctx = _Context(tokens, cands, triggers, lex)
    for c in cands:
        if c.kind is not None:
            continue
        if c.noun is not None and c.noun.casualty_kind is not None:
            c.kind = c.noun.casualty_kind
            continue
        best = _best_trigger(tokens, c, ctx)
        if c.sibling is not None and c.sibling.kind is not None and (best is None or best[1][0] > c.first):
            # "قتل ضابط وجنديان وأصيب ثلاثة": a part listed with a figure shares its verb, not the next one
            c.kind = c.sibling.kind
            continue
        named = _partitive_kind(tokens, c, lex)
        if named is not None and (best is None or best[0] > 1):
            c.kind = named  # "Three of the wounded were in a serious condition": injured
            continue
        guessed = c.noun is GUESSED_NOUN
        limit = MAX_BARE_COST if (c.bare or guessed) and not c.toll else MAX_COST
        if best is not None and best[0] <= limit:
            c.kind = best[1][2]
            c.trigger = best[1][0]
            c.confidence = 0.9 if best[0] <= 2 else 0.75
    _share_sibling_kinds(cands)
    _toll_kinds(tokens, cands, lex, triggers)
    _inherit_elliptic(tokens, cands, lex)
    _share_sibling_kinds(cands)  # "مقتل خمسة، رجلان وامرأتان وطفل": the list's head took its kind last
    kept = [c for c in cands if (c.kind is not None or c.subset_cue) and not _denied(tokens, c, lex)]
    return [c for c in kept if c.noun is not GUESSED_NOUN or c.kind is not None or c.subset_cue]


def _partitive_kind(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> str | None:
    """The fate a partitive names ("of the wounded", "من المصابين"), if any."""
    if c.subset_cue != "partitive":
        return None
    for t in tokens[c.number.last + 1 : c.np_end + 1]:
        noun = victim_noun(t, lex)
        if noun is not None and noun.casualty_kind is not None:
            return noun.casualty_kind
    return None


def _share_sibling_kinds(cands: Sequence[Candidate]) -> None:
    for c in cands:
        if c.sibling is None:
            continue
        if c.kind is None and c.sibling.kind is not None:
            c.kind = c.sibling.kind
        elif c.sibling.kind is None and c.kind is not None:
            c.sibling.kind = c.kind


def _toll_kinds(
    tokens: Sequence[Token],
    cands: Sequence[Candidate],
    lex: Lexicon,
    triggers: Sequence[tuple[int, int, str]],
) -> None:
    """A bare count in a toll ("ارتفع إلى 17 ... عدد الشهداء") takes the nearest casualty word, else killed."""
    for c in cands:
        if c.kind is not None or not c.toll:
            continue
        near = [t for t in triggers if tokens[t[0]].sentence == c.sentence and abs(t[0] - c.first) <= 15]
        # The toll's own noun comes before its count ("the death toll ... rose to 54,418, with 1,000
        # wounded"): a trigger before the count wins over a nearer one after it.
        near.sort(key=lambda t: (t[0] > c.first, abs(t[0] - c.first)))
        c.kind = near[0][2] if near else "killed"
        c.confidence = 0.7


def _inherit_elliptic(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Give a count after a reporting word the kind of the figure before it ("فيما سجل 30 عنصرا")."""
    record = lex.cues.get("record_verbs")
    for i, c in enumerate(cands):
        if c.kind is not None or c.subset_cue or i == 0:
            continue
        joined = tokens[_start(c)].text.startswith("و") or (
            _start(c) > 0 and tokens[_start(c) - 1].text in _JOINERS
        )
        if c.noun is None and not joined:
            continue  # a bare count carries on a figure only as "... و4 في الغارة الثانية"
        prev = _stated_before(cands, i)
        if prev.kind is None or prev.segment != c.segment or prev.sentence != c.sentence:
            continue
        window = range(max(_end(prev) + 1, _start(c) - 3), _start(c))
        if _fate_after(tokens, c, lex):
            continue  # "killed 3 and 2,000 people fled": a count of another fate
        if (
            joined
            or any(match_at(tokens, k, record) is not None for k in window)
            or _start(c) - _end(prev) <= 3
        ):
            c.kind = prev.kind
            c.inherited = True
            c.confidence = 0.6


def _stated_before(cands: Sequence[Candidate], i: int) -> Candidate:
    """The figure before ``cands[i]``, past the parts listed under it that wait for their total's
    kind ("قتل 12 مدنيا هم 4 نساء و8 أطفال، و3 أشخاص في قرية أخرى": the 3 carry on the 12)."""
    k = i - 1
    while k > 0 and cands[k].kind is None and cands[k].subset_cue and cands[k].sentence == cands[i].sentence:
        k -= 1
    return cands[k]


def _fate_after(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """A non-casualty verb right after the count's noun phrase ("2,000 people fled")."""
    j = _end(c) + 1
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


def _denied(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """A count in a denial, a hypothesis or about displaced people is no casualty figure."""
    lo = max(0, _start(c) - 6)
    clause = tokens[c.first].clause
    for k in range(lo, _start(c)):
        if tokens[k].clause != clause:
            continue
        if match_at(tokens, k, lex.cues.get("negation")) is not None:
            return True
        near = k >= _start(c) - 2 or (c.trigger is not None and c.trigger - 2 <= k < c.trigger)
        if near and match_at(tokens, k, lex.cues.get("negators")) is not None:
            return True
        # Only right before the count: "نزوح لحوالي 150 ألف مدني", "displaced 300 people".
        if k == _start(c) - 1 and match_at(tokens, k, lex.cues.get("not_casualty")) is not None:
            return True
    return False
