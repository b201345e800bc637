"""Stage 3: subsets and scope.

A part ("بينهم 7 أطفال", "including seven children", "Two of the victims", "the other 10")
points at the figure it is part of and takes its kind and scope. A running toll over a period
or campaign is cumulative; a toll that rose for one attack stays an incident. Consecutive
figures that add up exactly to the figure before them are its breakdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.candidates import victim_noun
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.tokens import clause_tokens, sentence_tokens

_DIRECT_GAP = 3  # words allowed between a figure and the "بينهم" that opens its parts
_MAX_DEPTH = 20  # no real article nests parts deeper
_BREAKDOWN_SENTENCES = 3
_INCREMENT_REACH = 4  # "after the death of three": words between the cue and the count  # a breakdown follows its total within this many sentences


def _end(c: Candidate) -> int:
    q = c.qualifier_span
    return q[1] if q is not None and q[1] > c.np_end else c.np_end


def _cue_start(c: Candidate) -> int:
    for note in c.notes:
        if note.startswith("cue_start="):
            return int(note.split("=", 1)[1])
    return c.first


def _partitive_of(c: Candidate) -> int | None:
    for note in c.notes:
        if note.startswith("partitive_of="):
            return int(note.split("=", 1)[1])
    return None


def _descends_from(c: Candidate, ancestor: Candidate) -> bool:
    p, seen = c.parent, 0
    while p is not None and seen < _MAX_DEPTH:
        if p is ancestor:
            return True
        p, seen = p.parent, seen + 1
    return False


def root(c: Candidate) -> Candidate:
    """The top of a chain of parts."""
    seen = 0
    while c.parent is not None and seen < _MAX_DEPTH:
        c = c.parent
        seen += 1
    return c


def _adjacent_parent(tokens: Sequence[Token], c: Candidate, before: Sequence[Candidate]) -> Candidate | None:
    start = _cue_start(c)
    for p in reversed(before):
        if p.segment != c.segment or p.sentence != c.sentence:
            return None
        words = [t for t in tokens[_end(p) + 1 : start] if t.kind != "punct"]
        return p if len(words) <= _DIRECT_GAP else None
    return None


def _latest_top(c: Candidate, before: Sequence[Candidate]) -> Candidate | None:
    same_kind = [p for p in before if p.parent is None and not p.subset_cue and p.segment == c.segment]
    if c.kind is not None:
        kind_match = [p for p in same_kind if p.kind == c.kind]
        if kind_match:
            return kind_match[-1]
    return same_kind[-1] if same_kind else None


_ANTECEDENT_SENTENCES = (
    0  # "منهم" points back at a group named in its own sentence; across sentences, at the toll
)


def _pronoun_partitive(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """ "25 منهم", "three of them": a partitive by pronoun (not "of the victims", which names the toll)."""
    pronouns = lex.words("pronoun_partitives")
    return any(t.forms & pronouns for t in tokens[c.number.last + 1 : c.np_end + 1])


def _antecedent(c: Candidate, before: Sequence[Candidate]) -> Candidate | None:
    """The group "منهم" / "of them" refers to: the nearest figure before it large enough to hold the
    part, a part itself or not ("بينهم 60 مدنيا و3 مسلحين، وقتل 25 منهم في ...")."""
    for p in reversed(before):
        if p.segment != c.segment or c.sentence - p.sentence > _ANTECEDENT_SENTENCES:
            return None
        if p.number.value > c.number.value and (c.kind is None or p.kind in (None, c.kind)):
            return p
    return None


def _other_fate(tokens: Sequence[Token], c: Candidate, lex: Lexicon | None) -> bool:
    """The partitive names a group of another fate than the part's own ("of the injured" who died)."""
    if lex is None or c.kind is None:
        return False
    for t in tokens[c.number.last + 1 : c.np_end + 1]:
        noun = victim_noun(t, lex)
        if noun is not None and noun.casualty_kind is not None:
            return noun.casualty_kind != c.kind
    return False


def link_subsets(tokens: Sequence[Token], cands: list[Candidate], lex: Lexicon | None = None) -> None:
    """Resolve each part's parent; a cue with nothing to attach to leaves a top-level figure."""
    for i, c in enumerate(cands):
        before = cands[:i]
        cue = c.subset_cue
        if cue is None or cue == "increment":
            continue  # increments were linked to their toll before
        parent: Candidate | None = None
        if cue == "sibling" and c.sibling is not None:
            parent = c.sibling.parent
        elif cue in ("direct", "enum"):
            parent = _adjacent_parent(tokens, c, before)
            if parent is None and cue == "direct":
                parent = _latest_top(c, before)
        elif cue == "other":
            prior = [p for p in before if p.parent is not None and p.segment == c.segment]
            parent = prior[-1].parent if prior else _latest_top(c, before)
        elif cue == "partitive" and _partitive_of(c) is not None:
            parent = next((p for p in cands if p.segment == c.segment and p.first == _partitive_of(c)), None)
        elif cue == "partitive" and lex is not None and _pronoun_partitive(tokens, c, lex):
            parent = _antecedent(c, before) or _latest_top(c, before)
        else:  # "after"
            parent = _latest_top(c, before)
        if cue == "partitive" and parent is not None and _other_fate(tokens, c, lex):
            parent = None  # "وفاة ثلاثة من المصابين": three of the wounded died, no part of the dead
        if parent is not None and (parent is c or _descends_from(parent, c)):
            parent = None  # "5 of the 9 victims": never a loop of parts
        c.parent = parent
        if parent is None:
            c.subset_cue = None
    for c in cands:
        if c.parent is not None:
            c.kind = root(c).kind or c.kind


def link_toll_increments(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """ "rose to 15 after three of the wounded died", "ارتفع إلى 9 بعد وفاة ثلاثة": the deaths that raised
    a toll are part of it, never added on top of it."""
    cue = lex.cues.get("increment_before")
    for prev, c in zip(cands, cands[1:], strict=False):
        if c.parent is not None or not prev.toll or prev.parent is not None:
            continue
        if (prev.segment, prev.sentence, prev.kind) != (c.segment, c.sentence, c.kind):
            continue
        start = c.qualifier_span[0] if c.qualifier_span and c.qualifier_span[0] < c.first else c.first
        lo = max(_end(prev) + 1, start - _INCREMENT_REACH)
        if c.number.value < prev.number.value and find_all(tokens, cue, lo, start):
            c.parent = prev
            c.subset_cue = "increment"


def _clause_tokens(tokens: Sequence[Token], c: Candidate) -> Sequence[Token]:
    return clause_tokens(tokens, tokens[c.first].clause)


def _has(tokens: Sequence[Token], clause: Sequence[Token], lex: Lexicon, cue: str) -> bool:
    if not clause:
        return False
    lo, hi = clause[0].index, clause[-1].index + 1
    return bool(find_all(tokens, lex.cues.get(cue), lo, hi))


def _period_tokens(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon
) -> list[Token]:
    """Where a period cue applies to a figure: its clause, an opening clause of its sentence
    ("Since the start of the offensive, 1,200 ..."), and for a toll the clauses after it up to the
    next figure ("... يرتفع إلى 207، ممن قضوا منذ فجر الجمعة")."""
    sentence = sentence_tokens(tokens, c.sentence)
    own = tokens[c.first].clause
    taken = {
        tokens[o.first].clause for o in cands if o is not c and o.segment == c.segment and o.parent is None
    }
    clauses = sorted({t.clause for t in sentence})
    wanted = {own}
    before = [cl for cl in clauses if cl < own]
    if len(before) == 1 and not taken.intersection(before):
        wanted.update(before)  # "Since the start of the offensive, 1,200 ..."
    elif before and not taken.intersection(before) and _opens_with(tokens, sentence, lex, "period"):
        wanted.update(before)  # "Since 10 May, when fighting escalated, 1,850 ..."
    tolls = {tokens[o.first].clause for o in cands if o is not c and o.segment == c.segment and o.toll}
    parts = {tokens[o.first].clause for o in cands if o.parent is c}
    for cl in (cl for cl in clauses if cl > own):
        if c.toll and cl not in taken:
            wanted.add(cl)
        elif not c.toll and cl not in tolls and (cl in parts or _coordinated(tokens, cl)):
            # "قتل 437 مدنيا، بينهم 120 طفلا، وأصيب 900 آخرون ... منذ مطلع العام": a period closing
            # coordinated figures holds for all of them (never across a running toll of its own).
            wanted.add(cl)
        else:
            break
    return [t for t in sentence if t.clause in wanted]


def _opens_with(tokens: Sequence[Token], sentence: Sequence[Token], lex: Lexicon, cue: str) -> bool:
    """Whether the sentence's first word starts a ``cue`` phrase."""
    first = next((t for t in sentence if t.kind != "punct"), None)
    return first is not None and bool(find_all(tokens, lex.cues.get(cue), first.index, first.index + 1))


def _coordinated(tokens: Sequence[Token], clause: int) -> bool:
    """A clause opened by "and" / glued "و" carries on the one before."""
    toks = [t for t in clause_tokens(tokens, clause) if t.kind != "punct"]
    return bool(toks) and (toks[0].text == "and" or (toks[0].text.startswith("و") and len(toks[0].text) > 3))


def _runs(toks: Sequence[Token]) -> list[tuple[int, int]]:
    """Contiguous [lo, hi) token ranges covering ``toks``."""
    runs: list[tuple[int, int]] = []
    for t in toks:
        if runs and runs[-1][1] == t.index:
            runs[-1] = (runs[-1][0], t.index + 1)
        else:
            runs.append((t.index, t.index + 1))
    return runs


def decide_scope(tokens: Sequence[Token], c: Candidate, lex: Lexicon, cands: Sequence[Candidate] = ()) -> str:
    """Scope of a top-level figure: cumulative for a toll over a period or campaign, or people still held."""
    clause = _clause_tokens(tokens, c)
    if any(_period_in(tokens, lo, hi, lex) for lo, hi in _runs(_period_tokens(tokens, c, cands, lex))):
        return "cumulative"
    incident = _has(tokens, clause, lex, "incident")
    if c.toll:
        # SCHEMA: a toll that rose for one attack is an incident; only a period or a campaign named
        # anywhere in its sentence makes it a running toll.
        sentence = sentence_tokens(tokens, c.sentence)
        period = bool(sentence) and _period_in(tokens, sentence[0].index, sentence[-1].index + 1, lex)
        return "cumulative" if not incident and period else "incident"
    if c.kind == "captured" and clause and _held(tokens, clause[0].index, clause[-1].index + 1, lex):
        return "cumulative"  # prisoners still held are a running count
    return "incident"


def _without(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon, cue: str, cancel: str) -> bool:
    """Whether ``cue`` occurs in tokens[lo:hi] outside every match of ``cancel``."""
    cancelled = {k for s, n, _ in find_all(tokens, lex.cues.get(cancel), lo, hi) for k in range(s, s + n)}
    return any(
        not cancelled.intersection(range(s, s + n)) for s, n, _ in find_all(tokens, lex.cues.get(cue), lo, hi)
    )


def _period_in(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """A period cue in tokens[lo:hi] that is no short span ("منذ مساء أمس", "past 24 hours")."""
    return _without(tokens, lo, hi, lex, "period", "not_period")


def _held(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """People still held named after the count ("... remain in custody"), not "former prisoners"."""
    return _without(tokens, lo, hi, lex, "held", "held_cancel")


def assign_scopes(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Scope for top-level figures; parts and elliptic counts copy theirs."""
    for i, c in enumerate(cands):
        if c.parent is not None:
            continue
        if c.inherited and i > 0:
            c.scope = cands[i - 1].scope
        else:
            c.scope = decide_scope(tokens, c, lex, cands)
            prev = _previous_top(cands, i)
            if c.scope == "incident" and prev is not None and _reports_alongside(tokens, prev, c, lex):
                c.scope = prev.scope
    for c in cands:
        if c.parent is not None:
            c.scope = root(c).scope


def _previous_top(cands: Sequence[Candidate], i: int) -> Candidate | None:
    for p in reversed(cands[:i]):
        if p.parent is None:
            return p
    return None


def _reports_alongside(tokens: Sequence[Token], prev: Candidate, c: Candidate, lex: Lexicon) -> bool:
    """ "..., فيما سجل مقتل 120 عنصرا": a figure reported in the same breath as a running toll shares its scope."""
    if prev.segment != c.segment or prev.sentence != c.sentence or prev.scope != "cumulative":
        return False
    start = c.qualifier_span[0] if c.qualifier_span and c.qualifier_span[0] < c.first else c.first
    window = range(max(_end(prev) + 1, start - 4), start)
    if not any(find_all(tokens, lex.cues.get("record_verbs"), k, k + 3) for k in window):
        return False
    clause = _clause_tokens(tokens, c)
    return not _has(tokens, clause, lex, "incident")


def link_breakdowns(cands: Sequence[Candidate]) -> None:
    """Figures right after a total that add up to it exactly are its parts (a breakdown by place)."""
    tops = [c for c in cands if c.parent is None]
    for i, total in enumerate(tops):
        run: list[Candidate] = []
        acc = 0
        for c in tops[i + 1 :]:
            if c.segment != total.segment or c.sentence - total.sentence > _BREAKDOWN_SENTENCES:
                break
            if c.kind != total.kind or c.scope != total.scope or c.number.value >= total.number.value:
                break
            if _listed_with(c, total) or not fits_within(c, total):
                break  # "4 children killed with their mother": she is beside them, not one of them
            run.append(c)
            acc += c.number.value
            if acc >= total.number.value:
                break
        if len(run) >= 2 and acc == total.number.value:
            for c in run:
                if c.parent is None:
                    c.parent = total
                    c.subset_cue = "breakdown"


# Which named groups a group named by its noun can contain ("civilians" hold children and women).
_CONTAINS = {"civilians": frozenset({"civilians", "children", "women"})}


def _category(c: Candidate) -> str | None:
    noun = c.noun
    if noun is None or noun.casualty_kind is not None or noun.category in ("people", "role"):
        return None
    return noun.category


def fits_within(part: Candidate, total: Candidate) -> bool:
    """Whether the part's named group can be inside the total's: no civilian is one of "6 children"."""
    inner, outer = _category(part), _category(total)
    if inner is None or outer is None:
        return True
    return inner in _CONTAINS.get(outer, frozenset({outer}))


def _listed_with(c: Candidate, total: Candidate) -> bool:
    """Whether ``c`` is coordinated with ``total`` through a chain of siblings."""
    s, seen = c.sibling, 0
    while s is not None and seen < _MAX_DEPTH:
        if s is total:
            return True
        s, seen = s.sibling, seen + 1
    return False


def link_family_parts(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Link "N people from one family were also killed" to the larger toll of the same place before it."""
    family = lex.cues.get("family")
    for i, c in enumerate(cands):
        if c.parent is not None or not any(
            find_all(tokens, family, k, k + 6) and find_all(tokens, family, k, k + 6)[0][0] == k
            for k in (c.np_end + 1, c.np_end + 2)
        ):
            continue
        for p in reversed(cands[:i]):
            if p.parent is not None or p.segment != c.segment or p.sentence >= c.sentence:
                continue
            if (p.kind, p.scope) != (c.kind, c.scope) or p.number.value <= c.number.value:
                continue
            same_place = (
                c.place is None
                or p.place is None
                or getattr(c.place, "name", None) == getattr(p.place, "name", None)
            )
            if same_place:
                c.parent = p
                c.subset_cue = "family"
                if c.victims == "people":
                    c.victims = p.victims
            break
