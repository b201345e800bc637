"""Stage 1: candidate figures, a count with its noun phrase, qualifier, subset cue and toll cue.

A count becomes a candidate when a victim noun follows it ("14 شخصا", "12 civilians"), when it is a
noun itself (a dual, or a singular after a trigger or a subset cue), when a partitive follows it
("3 of them"), or when it stands bare right next to a trigger or in a toll ("rose to 40").
Counts of objects, time, measures, ages and dates are dropped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at, match_ending_at
from services.extractor.casualties.model import Candidate, NumberMention, Token
from services.extractor.casualties.new_events import mark_new_event
from services.extractor.casualties.noun_phrase import predicative_noun, read_noun_phrase, victim_noun
from services.extractor.casualties.numbers import find_numbers, parse_digits

_YEARS = range(1900, 2101)  # bare four-digit numbers in this range are years, not counts
_RANGE_JOINERS = frozenset({"and", "to", "-", "و", "الى", "او", "or"})
# Words from a toll word to its count: "ترتفع حصيلة القتلى من القوات ... في البادية منذ مطلع العام إلى 63".
_TOLL_REACH = 18
_MAX_RANGE_WALK = 3  # "aged 12, 14 and 15": a list of ages is short; a longer walk is quadratic on noise
_BLOCK_LEN = 3  # tokens of the longest phrase that makes the next number an age, a date or a base
_COMBINED_LEN = 4  # tokens of the longest pair of fates before a count ("ما بين قتيل وجريح")
# The article with at most one clitic before it ("الطفل", "بالطفل", "للطفل").


def _combined_after(tokens: Sequence[Token], np_end: int, lex: Lexicon) -> bool:
    """Whether the count covers killed and wounded together."""
    if match_at(tokens, np_end, lex.cues.get("combined")) is not None:
        return True  # "35 قتيلا وجريحا": the count's own noun opens the mixed pair
    return _cue_within_reach(tokens, np_end, lex, "combined")


def _combined_before(tokens: Sequence[Token], start: int, lex: Lexicon) -> bool:
    """Whether two fates joined by "and"/"or" stand right before the count ("killed or injured 40")."""
    return match_ending_at(tokens, start - 1, lex.cues.get("combined"), longest=_COMBINED_LEN) is not None


def _cue_within_reach(tokens: Sequence[Token], np_end: int, lex: Lexicon, cue: str) -> bool:
    """Whether cue ``cue`` follows the noun phrase, past at most three skippable words or a
    qualifier written after the noun ("خمس نساء على الأقل بين الضحايا")."""
    j = np_end + 1
    skippable = lex.cues.get("skippable")
    for _ in range(3):
        if j >= len(tokens):
            return False
        if match_at(tokens, j, lex.cues.get(cue)) is not None:
            return True
        hit = match_at(tokens, j, skippable) or match_at(tokens, j, lex.cues.get("qualifiers"))
        if hit is None:
            return False
        j += hit[0]
    return False


def _blocked_before(tokens: Sequence[Token], n: NumberMention, lex: Lexicon) -> bool:
    """An age, a date or a label: "سن الـ 18", "aged 12", "resolution 2254", also "aged 14 and 15"."""
    first = n.first
    steps = 0
    while (
        steps < _MAX_RANGE_WALK
        and first >= 2
        and tokens[first - 1].text in _RANGE_JOINERS
        and tokens[first - 2].kind == "num"
        and _ascending(tokens[first - 2], tokens[first])
    ):
        first -= 2  # the range's first number decides
        steps += 1
    if match_ending_at(tokens, first - 1, lex.cues.get("before_block"), longest=_BLOCK_LEN) is not None:
        return True  # "one in five", "واحدا من أصل أربعة": a proportion's base
    for back in (1, 2):
        k = first - back
        if k < 0:
            return False
        if match_at(tokens, k, lex.cues.get("before_block")) is not None:
            return True
        if tokens[k].text not in ("ال", "-"):
            return False
    return False


def _ascending(low: Token, high: Token) -> bool:
    """ "14 and 15" rises like a range; "العام 2025 إلى 63" does not (a year, then a toll)."""
    a, b = parse_digits(low.text), parse_digits(high.text)
    return a is not None and b is not None and a < b


def _qualifier(
    tokens: Sequence[Token], n: NumberMention, np_end: int, lex: Lexicon
) -> tuple[str, tuple[int, int] | None]:
    """The qualifier written before the count ("at least 12") or after its noun ("12 على الأقل")."""
    quals = lex.cues.get("qualifiers")
    before = match_ending_at(tokens, n.first - 1, quals, longest=4)
    if before is not None:
        return (str(before[1]), (before[0], n.first - 1))
    after = match_at(tokens, np_end + 1, quals)
    if after is not None:
        return (str(after[1]), (np_end + 1, np_end + after[0]))
    return ("exact", None)


def _cue_before(tokens: Sequence[Token], pos: int, lex: Lexicon) -> tuple[str, int] | None:
    """A subset cue ending at token ``pos``: (cue type, start token)."""
    for name, cue in (("direct", "subset_before"), ("enum", "subset_direct_only"), ("other", "other_part")):
        hit = match_ending_at(tokens, pos, lex.cues.get(cue), longest=5)
        if hit is not None:
            return (name, hit[0])
    return None


def cue_after(tokens: Sequence[Token], np_end: int, lex: Lexicon) -> bool:
    """Whether "were among those killed" or the like follows the noun phrase."""
    return _cue_within_reach(tokens, np_end, lex, "subset_after")


def _toll_before(tokens: Sequence[Token], pos: int, lex: Lexicon, window: int = _TOLL_REACH) -> bool:
    """A rise/reach word or toll noun within ``window`` tokens before ``pos``, same sentence."""
    sentence = tokens[pos].sentence if pos < len(tokens) else -1
    for k in range(pos, max(-1, pos - window), -1):
        if k < 0 or tokens[k].sentence != sentence:
            return False
        if match_at(tokens, k, lex.cues.get("toll_words")) is not None:
            return True
    return False


def _is_toll(tokens: Sequence[Token], start: int, first: int, lex: Lexicon) -> bool:
    """The count is the end point of a running toll: "rose to 40", "ارتفع إلى 17", "لأكثر من 200"."""
    if lex.lang == "ar" and start < first and tokens[start].text.startswith("ل"):
        return _toll_before(tokens, start - 1, lex)  # ل glued to the qualifier: "لأكثر من"
    prev = start - 1
    if prev < 0:
        return False
    prep = match_ending_at(tokens, prev, lex.cues.get("toll_preps"), longest=1)
    if prep is None and not (lex.lang == "ar" and tokens[prev].text == "ل"):
        return False
    return _toll_before(tokens, prev - 1, lex)


def build_candidate(
    tokens: Sequence[Token], n: NumberMention, lex: Lexicon, segment: str
) -> Candidate | None:
    """A candidate for one count, or None when the count is of things, time, an age or a year."""
    if _blocked_before(tokens, n, lex):
        return None
    read = read_noun_phrase(tokens, n, lex)
    if read is None:
        return None
    np_end, noun, partitive = read
    if match_at(tokens, np_end + 1, lex.cues.get("reporting_after")) is not None:
        return None  # "two security officials said": the sources, not a count of victims
    if _combined_after(tokens, np_end, lex):
        return None  # "35 killed and wounded", "35 بين قتيل وجريح": no figure, its parts may be
    bare = noun is None and partitive is None
    if bare and n.source == "digits" and n.value in _YEARS:
        return None
    qualifier, qspan = _qualifier(tokens, n, np_end, lex)
    if _combined_before(tokens, qspan[0] if qspan is not None and qspan[0] < n.first else n.first, lex):
        return None  # "مقتل وإصابة 9", "kills and injures 19": one count over both fates
    if n.high is not None and qualifier == "exact":
        qualifier = "at_least"  # a range states at least its low end
    cand = Candidate(
        segment=segment, number=n, np_end=np_end, noun=noun, qualifier=qualifier, qualifier_span=qspan
    )
    cand.bare = bare
    cand.sentence = tokens[n.first].sentence
    start = qspan[0] if qspan is not None and qspan[0] < n.first else n.first
    cue = _cue_before(tokens, start - 1, lex)
    predicative = predicative_noun(tokens, np_end + 1, lex) if noun is None or partitive else None
    if predicative is not None:
        cand.noun = predicative
        cand.bare = False
    if partitive is not None:
        cand.subset_cue = "partitive"
        if np_end + 2 < len(tokens) and tokens[np_end + 1].kind == "num":
            cand.notes.append(f"partitive_of={np_end + 1}")
    elif cue is not None:
        cand.subset_cue = cue[0]
        cand.notes.append(f"cue_start={cue[1]}")
    elif cue_after(tokens, np_end, lex) or (predicative is not None and predicative.casualty_kind is None):
        cand.subset_cue = "after"  # "... were among the dead", "Of the 15 killed, nine were women"
    cand.toll = _is_toll(tokens, start, n.first, lex)
    if cand.toll and bare and _toll_of_things(tokens, start, lex):
        return None  # "the number of attacks has risen to 482": a count of events, not of people
    mark_new_event(tokens, cand, start, lex)
    return cand


def _toll_of_things(tokens: Sequence[Token], pos: int, lex: Lexicon) -> bool:
    """A running count whose words name what it counts as things ("the number of attacks ... rose
    to"): the nearest "number of" before the count, in its sentence, is followed by a thing noun."""
    sentence = tokens[pos].sentence
    for k in range(pos - 1, max(-1, pos - _TOLL_REACH), -1):
        if tokens[k].sentence != sentence:
            return False
        hit = match_at(tokens, k, lex.cues.get("count_of"))
        if hit is not None:
            return match_at(tokens, k + hit[0], lex.cues.get("block_nouns")) is not None
    return False


def fate_adjective(tokens: Sequence[Token], cand: Candidate, lex: Lexicon) -> str | None:
    """The fate written as an adjective inside the noun phrase ("three wounded guards")."""
    if lex.lang != "en" or cand.number.noun_included:
        return None
    for t in tokens[cand.number.last + 1 : cand.np_end]:
        noun = victim_noun(t, lex)
        if noun is not None and noun.casualty_kind is not None:
            return noun.casualty_kind
    return None


def find_candidates(tokens: Sequence[Token], lex: Lexicon, segment: str) -> list[Candidate]:
    """All candidate figures of one text (title or body), in text order."""
    out: list[Candidate] = []
    for n in find_numbers(tokens, lex):
        cand = build_candidate(tokens, n, lex, segment)
        if cand is not None and not _orphan_part(cand, out):
            out.append(cand)
    return out


def _orphan_part(cand: Candidate, before: Sequence[Candidate]) -> bool:
    """A bare part with no count before it in its sentence ("claimed several attacks, including at
    least two"): what it counts is a group the text never numbered, most often of things."""
    return cand.bare and cand.subset_cue == "direct" and not any(o.sentence == cand.sentence for o in before)


def cue_start(cand: Candidate) -> int | None:
    """Token where the candidate's subset cue starts, if it has one before it."""
    for note in cand.notes:
        if note.startswith("cue_start="):
            return int(note.split("=", 1)[1])
    return None
