"""Counts of one written as a singular noun: "استشهد شخص", "بينهم طفل", "a child was killed"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from services.extractor.casualties.candidates import cue_after
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import find_all, match_at, match_ending_at
from services.extractor.casualties.model import Candidate, NumberMention, Token, VictimNoun
from services.extractor.casualties.noun_phrase import group_category, is_definite, victim_noun

_AFTER_WINDOW = 3  # tokens between "a child" and its verb ("a child was reportedly killed")


_ADULT_AGE = 18
_AGE_DIGITS = 3  # no age has more; longer digit runs are noise
_CHILD = VictimNoun("children", None, "singular")
_PERSON = VictimNoun("people", None, "singular")


def _age(tokens: Sequence[Token], k: int) -> int:
    """The age written at token ``k`` ("16" of "16-year-old"); adult when unreadable."""
    text = tokens[k].text if k < len(tokens) else ""
    return int(text) if text.isdigit() and len(text) <= _AGE_DIGITS else _ADULT_AGE


def _trigger_ends(triggers: Sequence[tuple[int, int, str]]) -> dict[int, str]:
    return {start + length - 1: kind for start, length, kind in triggers}


def _trigger_starts(triggers: Sequence[tuple[int, int, str]]) -> dict[int, str]:
    return {start: kind for start, _, kind in triggers}


def _cue_before(tokens: Sequence[Token], i: int, lex: Lexicon) -> tuple[str, int] | None:
    """The subset cue ending right before token ``i``: (cue type, its first token)."""
    for name, cue in (("direct", "subset_before"), ("enum", "subset_direct_only")):
        hit = match_ending_at(tokens, i - 1, lex.cues.get(cue), longest=5)
        if hit is not None:
            return (name, hit[0])
    return None


def _trigger_after(tokens: Sequence[Token], k: int, lex: Lexicon, starts: dict[int, str]) -> str | None:
    j = k + 1
    for _ in range(_AFTER_WINDOW + 1):
        if j >= len(tokens) or tokens[j].sentence != tokens[k].sentence:
            return None
        if j in starts:
            return starts[j]
        hit = match_at(tokens, j, lex.cues.get("skippable"))
        if hit is None:
            return None
        j += hit[0]
    return None


_PAIR_REACH = 8  # "a 43-year-old man and a 71-year-old woman died": tokens to the second noun
_AR_PHRASE = 3  # "شرطيا قتل", "منتسبا في الحشد الشعبي قتل": a short prepositional phrase may intervene


def _arabic_trigger_after(
    tokens: Sequence[Token], i: int, lex: Lexicon, starts: dict[int, str]
) -> tuple[int, str] | None:
    """A trigger right after an indefinite singular noun ("إن شرطيا قتل"), across skippable words or
    one short prepositional phrase; (trigger index, kind) or None."""
    j = i + 1
    if j < len(tokens) and tokens[j].text in lex.words("phrase_prepositions"):
        j += 1
        limit = j + _AR_PHRASE - 1
        while j < len(tokens) and j < limit and j not in starts and tokens[j].kind == "word":
            j += 1
    for _ in range(_AFTER_WINDOW):
        if j >= len(tokens) or tokens[j].sentence != tokens[i].sentence:
            return None
        if j in starts:
            return (j, starts[j])
        hit = match_at(tokens, j, lex.cues.get("skippable"))
        if hit is None:
            return None
        j += hit[0]
    return None


def _trigger_after_pair(tokens: Sequence[Token], k: int, lex: Lexicon, starts: dict[int, str]) -> str | None:
    """ "a man and a woman died": the verb after the second of two coordinated singulars."""
    j = k + 1
    if j + 1 >= len(tokens) or tokens[j].text != "and" or tokens[j + 1].text not in lex.one_words:
        return None
    j += 2
    age = match_at(tokens, j, lex.cues.get("age_compound"))
    j += age[0] if age is not None else 0
    while j < len(tokens) and j - k <= _PAIR_REACH and victim_noun(tokens[j], lex) is None:
        j += 1
    return _trigger_after(tokens, j, lex, starts) if j < len(tokens) and j - k <= _PAIR_REACH else None


def _compound_head(tokens: Sequence[Token], k: int, lex: Lexicon) -> bool:
    """Whether the word at ``k`` is a plain word with a singular people noun right after it."""
    if tokens[k].kind != "word" or k + 1 >= len(tokens) or tokens[k + 1].sentence != tokens[k].sentence:
        return False
    if tokens[k].forms & lex.triggers.by_first.keys() or tokens[k].text in lex.one_words:
        return False
    noun = victim_noun(tokens[k + 1], lex)
    return noun is not None and noun.number == "singular"


def _trigger_before(tokens: Sequence[Token], i: int, lex: Lexicon, ends: dict[int, str]) -> int | None:
    """The end of a trigger right before "a"/"an", across a verb "to be" ("among the wounded was a teacher",
    "among the dead were a nurse"); None if there is none."""
    k = i - 1
    for _ in range(_AFTER_WINDOW):
        if k < 0 or tokens[k].sentence != tokens[i].sentence:
            return None
        if k in ends:
            return k
        if match_at(tokens, k, lex.cues.get("be_verbs")) is None:
            return None
        k -= 1
    return None


def _make(
    tokens: Sequence[Token], first: int, last: int, lex: Lexicon, segment: str, noun: VictimNoun | None = None
) -> Candidate:
    n = NumberMention(first, last, 1, "one", noun_included=True)
    cand = Candidate(segment=segment, number=n, np_end=last, noun=noun or victim_noun(tokens[last], lex))
    cand.sentence = tokens[first].sentence
    return cand


class _Scan(NamedTuple):
    """What the search for counts of one knows of a segment: its trigger ends and starts (token ->
    kind) and the candidates found so far by their last token."""

    tokens: Sequence[Token]
    lex: Lexicon
    segment: str
    ends: dict[int, str]
    starts: dict[int, str]
    ends_at: dict[int, Candidate]


def find_singulars(
    tokens: Sequence[Token],
    lex: Lexicon,
    triggers: Sequence[tuple[int, int, str]],
    existing: Sequence[Candidate],
    segment: str,
) -> list[Candidate]:
    """Candidates of one person named by a singular noun next to a trigger or a subset cue."""
    taken = {k for c in existing for k in range(c.first, c.np_end + 1)}
    # "بين قتيل وجريح", "killed and wounded": a mixed toll's nouns are no counts of one.
    taken.update(
        k
        for start, length, _ in find_all(tokens, lex.cues.get("combined"))
        for k in range(start, start + length)
    )
    ends_at = {c.np_end: c for c in existing}  # grows as counts of one are found
    scan = _Scan(tokens, lex, segment, _trigger_ends(triggers), _trigger_starts(triggers), ends_at)
    out: list[Candidate] = []
    for i, tok in enumerate(tokens):
        if i in taken or tok.kind != "word":
            continue
        cand = _arabic_one(scan, i) if lex.lang == "ar" else _english_one(scan, i)
        if cand is not None:
            out.append(cand)
            ends_at[cand.np_end] = cand
    return out


def _one_person(scan: _Scan, first: int, last: int, noun: VictimNoun) -> Candidate:
    """The count of one at tokens ``first``..``last``: a part when a subset cue ends right before it
    ("بينهم طفل", "including a child")."""
    cand = _make(scan.tokens, first, last, scan.lex, scan.segment, noun)
    cue = _cue_before(scan.tokens, first, scan.lex)
    if cue is not None:
        cand.subset_cue = cue[0]
        cand.notes.append(f"cue_start={cue[1]}")
    return cand


def _arabic_one(scan: _Scan, i: int) -> Candidate | None:
    tokens, lex, _, ends, starts, ends_at = scan
    tok = tokens[i]
    one_of = _one_of(tokens, i, lex)
    noun = one_of or victim_noun(tok, lex)
    if noun is None or noun.number != "singular" or (one_of is None and is_definite(tok)):
        return None
    counted = one_of is None and i + 1 < len(tokens) and bool(tokens[i + 1].forms & lex.words("one_after"))
    last = i + 1 if one_of is not None or counted else i
    cand = _one_person(scan, i, last, noun)
    if cand.subset_cue is not None:
        return cand
    if i - 1 in ends and tokens[i - 1].sentence == tok.sentence:
        cand.kind = noun.casualty_kind or ends[i - 1]
        cand.trigger = i - 1
        return cand
    verb = _verb_across_subject(tokens, i, lex, ends)
    if verb is not None:
        cand.kind = noun.casualty_kind or ends[verb]
        cand.trigger = verb
        return cand
    after = _arabic_trigger_after(tokens, last, lex, starts)
    if after is not None and not (one_of is not None and _reported(tokens[after[0]], lex)):
        cand.kind = noun.casualty_kind or after[1]
        cand.trigger = after[0]
        return cand
    if counted and noun.casualty_kind is not None:
        cand.kind = noun.casualty_kind  # "جثة واحدة": a body counted as one is a death
        return cand
    along = _along_with(tokens, i, lex, ends, ends_at)
    if along is not None:
        cand.subset_cue = "sibling"  # "4 أطفال قتلوا مع أمهم": the mother shares their fate
        cand.sibling = along
        return cand
    prev = ends_at.get(i - 1)
    # "وثلاثة أطفال ومدني", "اثنان من أبنائه وامرأة": a singular noun coordinated with a count is
    # one more person (SCHEMA: "7 children and a woman" is two figures), never a widening of it.
    listed = prev is not None and not prev.bare
    if listed and tok.conj:
        cand.subset_cue = "sibling"
        cand.sibling = prev
        return cand
    if tok.conj and match_at(tokens, i + 1, lex.cues.get("cause_after")) is not None:
        return cand  # "...، ورجل جراء غارة": one more of the figure before, by its cause (kinds.py)
    if _next_in_list(tokens, i, ends_at):
        return cand  # no kind yet: kinds.py gives it the list's verb or drops it
    return None


# A verb's subject ("قتلت الغارة الجوية طفلا", "أصاب القناص شابا") stands between a trigger and its
# object: a noun and its modifiers, rarely more.
_SUBJECT_GAP = 3


def _verb_across_subject(tokens: Sequence[Token], i: int, lex: Lexicon, ends: dict[int, str]) -> int | None:
    """The trigger a few plain words before an indefinite singular in the same clause (verb, subject,
    object order), or None; a number, a conjunction or another victim noun in between ends the search."""
    for k in range(i - 1, max(-1, i - _SUBJECT_GAP - 2), -1):
        tok = tokens[k]
        if tok.clause != tokens[i].clause or tok.sentence != tokens[i].sentence:
            return None
        if k in ends:
            return k if k < i - 1 else None
        if tok.kind != "word" or tok.conj or victim_noun(tok, lex) is not None:
            return None
        if tok.text in lex.words("phrase_prepositions") or match_at(tokens, k, lex.cues.get("cause_after")):
            return None  # "قتلوا إثر هجوم إرهابي": a word after a cause or a place is its adjective
    return None


def _next_in_list(tokens: Sequence[Token], i: int, ends_at: dict[int, Candidate]) -> bool:
    """ "قتل 12 مدنيا في المدينة ...، و3 أشخاص ...، وطفل جراء انفجار لغم": a singular opening the next item of a
    list of counts, after a comma, in the sentence of an earlier count."""
    tok = tokens[i]
    if i < 2 or tokens[i - 1].text not in _LIST_COMMAS or not tok.conj:
        return False
    return any(c.sentence == tok.sentence and c.np_end < i for c in ends_at.values())


_LIST_COMMAS = frozenset({",", "،"})


def _noun_modifier(tokens: Sequence[Token], k: int, lex: Lexicon) -> int:
    """1 when token ``k`` is a word the lexicon does not know standing before a victim noun ("a bus
    driver", "a rescue worker"): a noun used as a modifier; else 0."""
    if k + 1 >= len(tokens) or tokens[k].kind != "word" or victim_noun(tokens[k], lex) is not None:
        return 0
    if tokens[k].forms & lex.triggers.by_first.keys() or tokens[k + 1].sentence != tokens[k].sentence:
        return 0
    noun = victim_noun(tokens[k + 1], lex)
    return 1 if noun is not None and noun.number == "singular" else 0


def _one_of(tokens: Sequence[Token], i: int, lex: Lexicon) -> VictimNoun | None:
    """ "أحد عناصر الشرطة", "إحدى النساء": one of a plural or of a body, with its category."""
    if not tokens[i].forms & lex.words("one_of") or i + 1 >= len(tokens):
        return None
    nxt = tokens[i + 1]
    noun = victim_noun(nxt, lex)
    if noun is not None and noun.casualty_kind is None and noun.number == "plural":
        return VictimNoun(noun.category, None, "singular")
    group = group_category(nxt, lex)
    return VictimNoun(group, None, "singular") if group is not None else None


def _reported(trigger: Token, lex: Lexicon) -> bool:
    """ "أفاد أحد السكان بمقتل ...": a trigger glued to ب after the noun is what the person reported."""
    return any(trigger.text.startswith(p) for p in lex.words("reported_prefixes"))


def _along_with(
    tokens: Sequence[Token], i: int, lex: Lexicon, ends: dict[int, str], ends_at: dict[int, Candidate]
) -> Candidate | None:
    """The figure a person is added to by "مع" right after its noun or its verb ("4 أطفال قتلوا مع والدتهم")."""
    k = i - 1
    if k < 1 or tokens[k].text not in lex.words("along_with"):
        return None
    if k - 1 in ends and k - 1 not in ends_at:
        k -= 1  # past the figure's verb
    prev = ends_at.get(k - 1)
    return prev if prev is not None and prev.sentence == tokens[i].sentence and not prev.bare else None


def _english_one(scan: _Scan, i: int) -> Candidate | None:
    tokens, lex, _, ends, starts, ends_at = scan
    if tokens[i].text not in lex.one_words:
        return None
    k = i + 1
    age = match_at(tokens, k, lex.cues.get("age_compound"))
    if age is not None:
        k += age[0]  # "a 12-year-old boy"
    while k < len(tokens) and k - i <= 2 and tokens[k].text in lex.modifiers:
        k += 1
    if k >= len(tokens) or tokens[k].sentence != tokens[i].sentence:
        return None
    k += _noun_modifier(tokens, k, lex)
    noun = victim_noun(tokens[k], lex)
    if noun is None and age is None and _compound_head(tokens, k, lex):
        k += 1  # "a school teacher", "a hospital nurse": a noun modifying the noun
        noun = victim_noun(tokens[k], lex)
    if noun is None and age is not None:
        # "including a 16-year-old": the age names the person; under 18 is a child.
        k = i + age[0]
        noun = _CHILD if _age(tokens, i + 1) < _ADULT_AGE else _PERSON
    if noun is None or noun.number != "singular":
        return None
    cand = _one_person(scan, i, k, noun)
    if cand.subset_cue is not None:
        return cand
    if cue_after(tokens, k, lex):
        cand.subset_cue = "after"  # "a 12-year-old boy was among those killed"
        return cand
    before = _trigger_before(tokens, i, lex, ends)
    verb = i - 1
    if before is None and verb > 0 and tokens[verb].text in lex.words("partitive_words") and verb - 1 in ends:
        before = verb - 1  # "the killing of a commander", "the abduction of a journalist"
    kind = ends.get(before) if before is not None else None
    trigger = before if kind else None
    if kind is None:
        kind = _trigger_after(tokens, k, lex, starts) or _trigger_after_pair(tokens, k, lex, starts)
    prev = ends_at.get(i - 2) if i >= 2 and tokens[i - 1].text == "and" else None
    if kind is None and prev is not None and prev.sentence == cand.sentence:
        cand.subset_cue = "sibling"  # "killing four soldiers and a member of a militia": same fate
        cand.sibling = prev
        return cand
    if kind is None:
        return None
    cand.kind = kind
    cand.trigger = trigger
    return cand
