"""Stage 4a: who the count is about (victims), and who caused it (actor)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at, match_ending_at
from services.extractor.casualties.model import Candidate, Token
from services.extractor.casualties.noun_phrase import group_category, victim_noun
from services.extractor.casualties.tokens import sentence_tokens, token_index
from shared.vocabulary import VICTIMS

_CIVILIAN_GROUPS = frozenset({"children", "women", "civilians"})
_ELLIPSIS_GAP = 5  # "soldiers were killed and six": words between a figure and the count sharing its noun
_SUSPECT_REACH = 4  # tokens after a count where "بتهمة", "on suspicion of" may stand
_LOOKAHEAD = 4  # tokens after a bare toll where its noun phrase may name the victims ("عدد الشهداء المدنيين")


def _specific(cat: str | None) -> bool:
    return cat in VICTIMS and cat != "people"


def _mixed_with(
    tokens: Sequence[Token], c: Candidate, lex: Lexicon, counted: frozenset[int] = frozenset()
) -> str | None:
    """The category of a second noun joined to the count's noun with no count of its own."""
    k = c.np_end + 1
    if k >= len(tokens) or c.noun is None or c.number.source == "one":
        return None  # "مواطنة وأطفالها": one woman, her children are not counted
    tok = tokens[k]
    if lex.lang == "en" and tok.text == "and" and k + 1 < len(tokens):
        tok = tokens[k + 1]
    elif not (lex.lang == "ar" and tok.conj):
        return None
    if tok.index in counted:
        return None  # "طفلين وامرأة": the woman is a count of her own
    noun = victim_noun(tok, lex)
    # A noun with no count of its own widens the count ("13 طفلا ومواطنة"); "وطفلان" is a count itself.
    if noun is None or noun.casualty_kind is not None or noun.number == "dual" or noun.category == "role":
        return None  # "soldiers and volunteer fighters": a role noun takes the count's category
    return noun.category


_QUOTES = frozenset("\"'“”«»")
_GROUP_GAP = 2  # "أربعة من رجال الأمن", "two of the police": words between the partitive and the body


def _body_category(tokens: Sequence[Token], k: int, lex: Lexicon) -> str | None:
    """The category of the body named from token ``k`` on: a group word, or a specific victim noun,
    past the partitive's articles and a generic noun ("رجال", "members")."""
    for j in range(k, min(len(tokens), k + _GROUP_GAP + 1)):
        tok = tokens[j]
        if tok.text in _QUOTES:
            continue  # 'من "العناصر المسلحة"': a body in quotes
        if tok.kind != "word" or (j > k and tok.conj):
            return None  # "اثنان من أبنائه وامرأة": a second item, not the body the first belongs to
        group = group_category(tok, lex)
        if group is not None:
            return group
        noun = victim_noun(tok, lex)
        if noun is not None and noun.casualty_kind is None and _specific(noun.category):
            return noun.category
        if tok.text not in lex.words("partitive_skip") and (noun is None or noun.casualty_kind is not None):
            return None  # "12 شخصا من قبل قوات": "by", not "of"
    return None


def partitive_group(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> str | None:
    """ "9 أشخاص على الأقل من الجيش", "أربعة من رجال الأمن", "two of the villagers": the category of
    the body a partitive right after the count (its noun and qualifier aside) names."""
    end = c.np_end
    if c.qualifier_span is not None and c.qualifier_span[0] > c.first:
        end = max(end, c.qualifier_span[1])
    for k in range(c.number.last + 1, min(len(tokens), end + 2)):
        if tokens[k].sentence != tokens[c.first].sentence:
            return None
        if tokens[k].text in lex.words("partitive_words"):
            return _body_category(tokens, k + 1, lex)
    return None


def _nearby_category(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> str | None:
    """A victim category near a bare or generic toll: after it, or between its toll word and it."""
    sentence = tokens[c.first].sentence
    lo = c.first
    toll_words = lex.cues.get("toll_words")
    modifiers_before = 2  # "the civilian death toll": the words before the toll noun name the victims too
    for k in range(c.first - 1, max(-1, c.first - 13), -1):
        if tokens[k].sentence != sentence:
            break
        if match_at(tokens, k, toll_words) is not None:
            lo = max(0, k - modifiers_before)  # the furthest toll word: "ارتفاع حصيلة ... والتي وصلت إلى"
    after = []
    for k in range(c.np_end + 1, min(len(tokens), c.np_end + 1 + _LOOKAHEAD)):
        if tokens[k].kind != "word" or match_at(tokens, k, lex.cues.get("subset_before")) is not None:
            # The parts' nouns are theirs, not the total's; past a comma the words are another
            # clause's ("rose to 500, most of them children", "injured 25, residents said").
            break
        if tokens[k].text in lex.words("phrase_prepositions") and tokens[k].text not in lex.words(
            "partitive_words"
        ):
            break  # "أصيب 3 في هجوم إرهابي": past a preposition a word describes the place or the cause
        after.append(k)
    for k in [*range(lo, c.first), *after]:
        noun = victim_noun(tokens[k], lex)
        if noun is not None and _specific(noun.category):
            return noun.category
    return None


def assign_victims(tokens: Sequence[Token], cands: Sequence[Candidate], lex: Lexicon) -> None:
    """Fill ``victims`` for every figure; parts named by role or sex take their total's category."""
    counted = frozenset(c.first for c in cands)
    for c in cands:
        cat = c.noun.category if c.noun is not None and c.noun.casualty_kind is None else None
        if not _specific(cat):
            cat = partitive_group(tokens, c, lex) or cat
        if cat == "combatants" and match_at(tokens, c.np_end + 1, lex.cues.get("family")) is not None:
            cat = "role"  # "8 members of one family": kin, not fighters; "6 children of one family" stay children
        other = _mixed_with(tokens, c, lex, counted)
        c.mixed_noun = other is not None and other != cat
        if c.parent is not None and (not _specific(cat) or c.mixed_noun):
            c.victims = c.parent.victims
        elif c.mixed_noun:
            c.victims = "civilians" if {cat, other} <= _CIVILIAN_GROUPS else "people"
        elif _specific(cat):
            c.victims = str(cat)
        elif c.toll or c.bare or c.noun is None or c.noun.casualty_kind or cat == "people":
            found = _nearby_category(tokens, c, lex) if (c.toll or c.bare) else None
            c.victims = found or "people"
        else:
            c.victims = "people"
    for prev, c in zip(cands, cands[1:], strict=False):
        unnamed = c.noun is None or c.noun.casualty_kind is not None  # "six injured" names no group
        if c.victims == "people" and unnamed and not c.toll and _shares_noun(tokens, prev, c, lex):
            c.victims = prev.victims  # "four soldiers were killed and six injured": six soldiers
    for c in cands:
        if c.kind == "captured" and c.parent is None and _suspects(tokens, c, lex):
            c.victims = "combatants"  # SCHEMA: people arrested as suspected militants
    inherit_part_victims(cands)
    for c in cands:
        if c.victims == "people":
            c.victims = _category_of_parts(tokens, c, cands, lex) or c.victims
    for c in cands:  # parts resolved before their total changed
        if c.parent is not None and c.parent.victims != c.victims and c.victims == "people":
            c.victims = c.parent.victims


def _category_of_parts(
    tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate], lex: Lexicon
) -> str | None:
    """What the parts of a total with no category of its own say it is. A total broken down entirely
    into fighters ("9 people, 6 soldiers and 3 volunteers") is fighters; one whose parts are each
    named a civilian group is civilians when they add up to it. "50 dead, among them 3 women and
    4 children" says nothing of the other 43."""
    parts = [p for p in cands if p.parent is c]
    if not parts:
        return None
    named = [_own_categories(tokens, p, lex) | _group_of(tokens, p, lex) for p in parts]
    cats = set().union(*named)
    exact = sum(p.number.value for p in parts) == c.number.value
    if cats == {"combatants"} and exact:
        return "combatants"  # role parts ("3 volunteers") are counted among the fighters
    # A bare toll whose parts call some of them civilians ("ترتفع إلى 30 بينهم 7 أطفال ومواطنات") is of
    # civilians; "20 people, among them 5 civilians" says the others are not.
    if all(named) and cats <= _CIVILIAN_GROUPS and (exact or (c.bare and "civilians" in cats)):
        return "civilians"  # "6 people: a man, his two sons...": kin alone say nothing of the total
    return None


def _group_of(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> set[str]:
    group = partitive_group(tokens, c, lex)
    return {group} if group is not None else set()


def inherit_part_victims(cands: Sequence[Candidate]) -> None:
    """A part named by role, fate or nothing ("including 12 volunteers", "four of the injured") takes
    the category its total has now (totals may have learnt theirs after their parts)."""
    for c in cands:
        p = c.parent
        unnamed = c.noun is None or c.noun.casualty_kind is not None or c.noun.category == "role"
        if p is not None and unnamed and c.victims == "people" and _specific(p.victims):
            c.victims = p.victims


def _shares_noun(tokens: Sequence[Token], prev: Candidate, c: Candidate, lex: Lexicon) -> bool:
    """A bare count coordinated with the figure before it in the same sentence shares its noun."""
    if prev.segment != c.segment or prev.sentence != c.sentence or not _specific(prev.victims):
        return False
    if prev.noun is None or prev.noun.casualty_kind is not None or c.parent is not None:
        return False
    if prev.parent is not None:
        return False  # "killed 9, including a boy, and wounded 30": the part's noun is not the toll's
    if prev.kind != c.kind and "other" not in lex.words("ellipsis_fates"):
        return False  # "قتل 10 جنود وأصيب 15": read as "others" of another fate, people (SCHEMA)
    between = tokens[prev.np_end + 1 : c.first]
    words = [t for t in between if t.kind == "word"]
    joined = any(t.conj for t in words)
    return joined and len(between) <= _ELLIPSIS_GAP and all(t.kind != "num" for t in between)


def _suspects(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> bool:
    """ "17 شخصا بتهمة الانتماء", "4 people on suspicion of": captured as suspected fighters."""
    cue = lex.cues.get("suspects_after")
    hi = min(len(tokens), c.np_end + 1 + _SUSPECT_REACH)
    if any(t.text in lex.words("suspect_words") for t in tokens[c.number.last + 1 : c.np_end + 1]):
        return True  # "arrested 9 suspected suppliers of the insurgents"
    return any(
        tokens[k].sentence == tokens[c.np_end].sentence and match_at(tokens, k, cue) is not None
        for k in range(c.np_end + 1, hi)
    )


def _own_categories(tokens: Sequence[Token], c: Candidate, lex: Lexicon) -> set[str]:
    """The specific categories a count's own nouns name ("أطفال ومواطنات": children, civilians)."""
    cats = {c.noun.category} if c.noun is not None and c.noun.casualty_kind is None else set()
    other = _mixed_with(tokens, c, lex)
    if other is not None:
        cats.add(other)
    return {x for x in cats if _specific(x)}


def _clause_order(tokens: Sequence[Token], c: Candidate, blockers: set[int]) -> list[list[int]]:
    """Clause groups to search, nearest first: own clause, the following ones, the preceding ones."""
    sentence = tokens[c.first].sentence
    clauses = sorted({t.clause for t in sentence_tokens(tokens, sentence)})
    own = tokens[c.first].clause
    pos = clauses.index(own)
    following: list[int] = []
    for cl in clauses[pos + 1 :]:
        if cl in blockers:
            break
        following.append(cl)
    preceding: list[int] = []
    for cl in reversed(clauses[:pos]):
        if cl in blockers:
            break
        preceding.append(cl)
    return [[own], following, preceding]


def clause_order(tokens: Sequence[Token], c: Candidate, cands: Sequence[Candidate]) -> list[list[int]]:
    """Clause groups around a figure, stopping at clauses that hold another figure (its own parts aside)."""
    blockers = set()
    for other in cands:
        if other is c or other.segment != c.segment or _descends(other, c):
            continue
        if c.parent is None and other.parent is not None:
            continue  # parts of other figures do not bound a total's search
        blockers.add(tokens[other.first].clause)
    blockers.discard(tokens[c.first].clause)
    return _clause_order(tokens, c, blockers)


def _descends(c: Candidate, ancestor: Candidate) -> bool:
    p = c.parent
    while p is not None:
        if p is ancestor:
            return True
        p = p.parent
    return False


_PARTY_KINDS = frozenset({"armed_group", "state_forces", "coalition"})  # who can cause casualties


def assign_actors(
    tokens: Sequence[Token], cands: Sequence[Candidate], actors: Sequence[Any], lex: Lexicon
) -> None:
    """The nearest conflict party named around the figure (same clause first), parts take their total's.

    Monitors, agencies and news agencies are sources, not actors; a party named as the target
    ("ضد التنظيم", "members of IS") is not the actor; a hedged attribution leaves it null.
    """
    for c in cands:
        if c.parent is not None:
            c.actor = c.parent.actor
            continue
        toks = sentence_tokens(tokens, c.sentence)
        here = [
            a
            for a in actors
            if toks and toks[0].start <= a.start < toks[-1].end and _is_agent(tokens, a, c, lex)
        ]
        for group in clause_order(tokens, c, cands):
            found = [a for a in here if _clause_of(tokens, a.start) in group]
            if found:
                best = min(found, key=lambda a: abs(a.start - tokens[c.first].start))
                c.actor = None if _hedged(tokens, best, lex) else best
                break


def _is_agent(tokens: Sequence[Token], actor: Any, c: Candidate, lex: Lexicon) -> bool:
    if getattr(actor, "kind", "armed_group") not in _PARTY_KINDS:
        return False
    i = token_index(tokens, actor.start)
    if c.first <= i <= c.np_end + 4:
        return False  # "15 عنصرا من التنظيم": the victims' side
    return not any(
        match_ending_at(tokens, k, lex.cues.get("target_markers"), longest=2) is not None for k in (i - 1,)
    )


def _hedged(tokens: Sequence[Token], actor: Any, lex: Lexicon) -> bool:
    i = token_index(tokens, actor.start)
    clause = tokens[i].clause
    lo = max(0, i - 8)  # a hedge a few words before the party ("طائرات يرجح أنها روسية")
    return any(
        tokens[k].clause == clause and match_at(tokens, k, lex.cues.get("hedges")) is not None
        for k in range(lo, i + 1)
    )


def _clause_of(tokens: Sequence[Token], offset: int) -> int:
    return tokens[token_index(tokens, offset)].clause if tokens else -1
