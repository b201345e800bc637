"""Stage 3b: scope.

A running toll over a period or campaign is cumulative; a toll that rose for one attack, or one
day's strikes, stays an incident (SCHEMA.md "Scope"). The period may stand in the figure's clause,
earlier in its sentence ("Since the offensive began, ..."), after it in clauses that carry on its
statement, or in a lead sentence with no figure of its own that the figures after it report on
("Observers recorded scores of deaths in the valley during May. Their list names 54 ..."). Parts and
figures stated in the same breath as a running toll share its scope.

The subset links (stage 3a) live in ``subsets``; they are re-exported here for the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.periods import campaign_in, date_span_in, period_in, without
from services.extractor.casualties.subsets import (
    link_breakdowns,
    link_family_parts,
    link_headline_breakdowns,
    link_subsets,
    link_toll_increments,
    root,
)
from services.extractor.casualties.tokens import clause_tokens, sentence_tokens

__all__ = [
    "assign_scopes",
    "decide_scope",
    "link_breakdowns",
    "link_family_parts",
    "link_headline_breakdowns",
    "link_subsets",
    "link_toll_increments",
    "root",
]

# "..., فيما سجل مقتل 120 عنصرا", "and 3,100 wounded": words between a running toll's end and the
# verb or "and" that reports another figure in the same breath.
_ALONGSIDE_REACH = 4
# A "sentence" ending in one of these was cut by a line break: the next one carries on its statement.
_OPEN_ENDS = frozenset({",", "،", ":", "؛", ";"})


def _end(c: Candidate) -> int:
    q = c.qualifier_span
    return q[1] if q is not None and q[1] > c.np_end else c.np_end


def _start(c: Candidate) -> int:
    return c.qualifier_span[0] if c.qualifier_span and c.qualifier_span[0] < c.first else c.first


def _span(clause: Sequence[Token]) -> tuple[int, int]:
    return (clause[0].index, clause[-1].index + 1) if clause else (0, 0)


def _has(tokens: Sequence[Token], clause: Sequence[Token], lex: Lexicon, cue: str) -> bool:
    lo, hi = _span(clause)
    return lo < hi and bool(find_all(tokens, lex.cues.get(cue), lo, hi))


def _runs(toks: Sequence[Token]) -> list[tuple[int, int]]:
    """Contiguous [lo, hi) token ranges covering ``toks``."""
    runs: list[tuple[int, int]] = []
    for t in toks:
        if runs and runs[-1][1] == t.index:
            runs[-1] = (runs[-1][0], t.index + 1)
        else:
            runs.append((t.index, t.index + 1))
    return runs


def _any_period(tokens: Sequence[Token], toks: Sequence[Token], lex: Lexicon) -> bool:
    return any(period_in(tokens, lo, hi, lex) for lo, hi in _runs(toks))


def _any_campaign(tokens: Sequence[Token], toks: Sequence[Token], lex: Lexicon) -> bool:
    return any(campaign_in(tokens, lo, hi, lex) for lo, hi in _runs(toks))


def _taken(tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate]) -> set[int]:
    """Clauses holding another top-level figure: a period there is that figure's own."""
    return {
        tokens[o.first].clause
        for o in cands
        if o is not c and o.segment == c.segment and o.parent is None and o.number.value > 0
    }


def _lead_clauses(
    tokens: Sequence[Token],
    c: Candidate,
    cands: Sequence[Candidate],
    lex: Lexicon,
    clauses: list[int],
    incident: bool,
) -> set[int]:
    """The clauses before the figure's own that its statement opens with: all of them when the
    sentence opens with a period ("Since 10 May, when fighting escalated, 1,850 ..."), else a single
    opening clause with no figure of its own and no event in the figure's ("Since the start of the
    offensive, 1,200 ..."). Further
    back, a period word belongs to another statement of a long sentence ("tension grew during the
    week, when a roadside bomb killed three soldiers"); only a span of dates reaches that far (``_dated_lead``)."""
    own = tokens[c.first].clause
    before = [cl for cl in clauses if cl < own]
    sentence = sentence_tokens(tokens, c.sentence)
    if before and _opens_with(tokens, sentence, lex, "period"):
        return set(before)
    if (
        len(before) == 1
        and not incident  # "tension grew during the week, when a roadside bomb killed three"
        and not _taken(tokens, c, cands).intersection(before)
        and not _coordinated(tokens, own)
    ):
        return set(before)  # "..., وقال إن ...": an "and" opens a statement of its own
    if not incident:
        return _period_opened(tokens, c, cands, lex, before)
    return set()


def _period_opened(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon, before: list[int]
) -> set[int]:
    """ "According to the ministry, since the truce ended, at least 400 ...": an attribution may stand
    before the clause that opens the statement with its period; the clauses from that one on, with
    no figure of their own, lead to the figure."""
    taken = _taken(tokens, c, cands)
    lead: set[int] = set()
    for cl in reversed(before):
        if cl in taken:
            return set()
        lead.add(cl)
        if _opens_with(tokens, clause_tokens(tokens, cl), lex, "period"):
            return lead
    return set()


def _dated_lead(tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon) -> bool:
    """ "Rocket fire on Friday and Saturday, the governor said, across the port, killed 27": a span of
    dates earlier in the sentence, with no other figure in between, dates the figure."""
    own = tokens[c.first].clause
    taken = _taken(tokens, c, cands)
    sentence = sentence_tokens(tokens, c.sentence)
    lead: list[Token] = []
    for cl in sorted({t.clause for t in sentence if t.clause < own}, reverse=True):
        if cl in taken:
            break
        lead = [*clause_tokens(tokens, cl), *lead]
    return any(date_span_in(tokens, lo, hi, lex) for lo, hi in _runs(lead))


def _period_tokens(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon, lead: bool = True
) -> list[Token]:
    """Where a period cue applies to a figure: its clause, the clauses its sentence opens with, and
    for a toll the clauses after it up to the next figure ("... يرتفع إلى 207، ممن قضوا منذ فجر
    الجمعة")."""
    sentence = sentence_tokens(tokens, c.sentence)
    own = tokens[c.first].clause
    taken = _taken(tokens, c, cands)
    clauses = sorted({t.clause for t in sentence})
    wanted = {own}
    if lead:
        incident = _has(tokens, clause_tokens(tokens, own), lex, "incident")
        wanted |= _lead_clauses(tokens, c, cands, lex, clauses, incident)
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
    """A clause opened by "and" / "و" carries on the one before."""
    toks = [t for t in clause_tokens(tokens, clause) if t.kind != "punct"]
    return bool(toks) and toks[0].conj


def _toll_like(tokens: Sequence[Token], c: Candidate, clause: Sequence[Token], lex: Lexicon) -> bool:
    """A toll: "rose to N", or a toll word before the count in its clause ("عدد الشهداء ... بلغ N")."""
    lo, _ = _span(clause)
    return c.toll or bool(find_all(tokens, lex.cues.get("toll_words"), lo, _start(c)))


def decide_scope(tokens: Sequence[Token], c: Candidate, lex: Lexicon, cands: Sequence[Candidate] = ()) -> str:
    """Scope of a top-level figure: cumulative for a toll over a period or campaign, or people still held."""
    clause = clause_tokens(tokens, tokens[c.first].clause)
    if _any_period(tokens, _period_tokens(tokens, c, cands, lex), lex):
        return "cumulative"
    incident = _has(tokens, clause, lex, "incident")
    if not incident and _dated_lead(tokens, c, cands, lex):
        return "cumulative"
    if not incident and _any_campaign(tokens, _period_tokens(tokens, c, cands, lex, lead=False), lex):
        return "cumulative"  # "the insurgency has killed 40,000", "قتلوا في الحرب"
    if _toll_like(tokens, c, clause, lex):
        # SCHEMA: a toll that rose for one attack is an incident; only a period or a campaign named in
        # its sentence, outside the clauses of other figures, makes it a running toll.
        taken = _taken(tokens, c, cands) - {tokens[c.first].clause}
        rest = [t for t in sentence_tokens(tokens, c.sentence) if t.clause not in taken]
        if not incident and (_any_period(tokens, rest, lex) or _any_campaign(tokens, rest, lex)):
            return "cumulative"
        if not incident and _after_daily_count(tokens, c, cands, lex):
            return "cumulative"
        return "incident"
    if c.kind == "captured" and clause and _held(tokens, *_span(clause), lex):
        return "cumulative"  # prisoners still held are a running count
    return "incident"


def _after_daily_count(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon
) -> bool:
    """ "37 killed in the past 24 hours, bringing the total to 2,410", "استشهد 37 خلال الساعات الـ24
    الماضية، لترتفع الحصيلة الكلية إلى ...": a toll that a day's count earlier in its sentence adds to is a running one."""
    sentence = sentence_tokens(tokens, c.sentence)
    clause = clause_tokens(tokens, tokens[c.first].clause)
    if (
        not sentence
        or not clause
        or not find_all(tokens, lex.cues.get("toll_words"), clause[0].index, _start(c))
    ):
        return False  # the toll's own rise word: "bringing the total", "ليرتفع الإجمالي"
    earlier = [
        o
        for o in cands
        if o is not c and o.segment == c.segment and o.sentence == c.sentence and o.first < c.first
    ]
    return bool(earlier) and bool(
        find_all(tokens, lex.cues.get("not_period"), sentence[0].index, clause[0].index)
    )


def _held(tokens: Sequence[Token], lo: int, hi: int, lex: Lexicon) -> bool:
    """People still held named after the count ("... remain in custody"), not "former prisoners"."""
    return without(tokens, lo, hi, lex, "held", "held_cancel")


def assign_scopes(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Scope for top-level figures; parts and elliptic counts copy theirs."""
    for i, c in enumerate(cands):
        if c.parent is not None:
            continue
        if c.inherited and i > 0:
            c.scope = root(cands[i - 1]).scope
        else:
            c.scope = decide_scope(tokens, c, lex, cands)
            prev = _previous_figure(cands, i)
            if c.scope == "incident" and prev is not None and _reports_alongside(tokens, prev, c, lex):
                c.scope = root(prev).scope
            elif c.scope == "incident" and _carried_from_before(tokens, c, cands, lex):
                c.scope = "cumulative"
    for c in cands:
        if c.parent is not None:
            c.scope = root(c).scope


def _carried_from_before(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon
) -> bool:
    """The sentence before sets the period: a lead naming it, or a running total carried on."""
    return _after_period_lead(tokens, c, cands, lex) or _continues_running_total(tokens, c, cands, lex)


def _previous_figure(cands: Sequence[Candidate], i: int) -> Candidate | None:
    return cands[i - 1] if i > 0 else None


def _reports_alongside(tokens: Sequence[Token], prev: Candidate, c: Candidate, lex: Lexicon) -> bool:
    """ "..., فيما سجل مقتل 120 عنصرا", "إلى 4210 شهيدا، و11300 مصاب", "412 deaths, 377 injuries": a
    figure reported in the same breath as a running toll (a reporting verb or "and" just before it,
    or listed right after it) shares its scope."""
    if prev.segment != c.segment or prev.sentence != c.sentence or root(prev).scope != "cumulative":
        return False
    start = _start(c)
    window = range(max(_end(prev) + 1, start - _ALONGSIDE_REACH), start)
    said = any(find_all(tokens, lex.cues.get("record_verbs"), k, k + 3) for k in window)
    # A fate word right after the toll's count is its noun ("934 killings, 684 injuries"), no gap.
    fates = {k for s, n, _ in find_all(tokens, lex.triggers, _end(prev) + 1, start) for k in range(s, s + n)}
    listed = all(t.kind == "punct" or t.bare_conj or t.index in fates for t in tokens[_end(prev) + 1 : start])
    if not (said or listed or _coordinated(tokens, tokens[start].clause)):
        return False
    clause = clause_tokens(tokens, tokens[c.first].clause)
    return not _has(tokens, clause, lex, "incident")


def _after_period_lead(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon
) -> bool:
    """A sentence before the figure's that names a period and states no figure of its own sets the
    period of the figure's sentence (unless that names one event) when it is the opening of the same
    statement broken by a line ("استمرت المعارك طوال الأسبوع،" then "وأحصى الأطباء 312 قتيلا"), or a
    lead that reports deaths over the period without a number ("Observers recorded the deaths of
    scores of farmers during May. Their report lists 54 killed ...")."""
    if c.sentence == 0:
        return False
    lead = sentence_tokens(tokens, c.sentence - 1)
    if not lead or any(o.segment == c.segment and o.sentence == c.sentence - 1 for o in cands):
        return False
    words = [t for t in lead if t.kind != "punct"]
    broken = lead[-1].text in _OPEN_ENDS
    reported = bool(words) and bool(find_all(tokens, lex.triggers, words[0].index, lead[-1].index + 1))
    if not (broken or reported) or not _any_period(tokens, lead, lex):
        return False
    own = sentence_tokens(tokens, c.sentence)
    return not _has(tokens, own, lex, "incident")


def _continues_running_total(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon
) -> bool:
    """ "Since March, 310 people have died in the shelling. Across the line, 14 soldiers have been
    killed": a count in the present perfect right after a running total, naming no event and no
    short span of its own, carries the total on."""
    prev = [o for o in cands if o.segment == c.segment and o.sentence == c.sentence - 1]
    if not prev or root(prev[-1]).scope != "cumulative":
        return False
    own = sentence_tokens(tokens, c.sentence)
    if _has(tokens, own, lex, "incident") or _has(tokens, own, lex, "not_period"):
        return False
    return _has(tokens, clause_tokens(tokens, tokens[c.first].clause), lex, "running_verbs")
