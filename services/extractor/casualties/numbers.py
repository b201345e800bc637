"""Counts as written: digits with separators, Arabic-Indic digits (normalised upstream),
Arabic and English number words including compounds, and Arabic dual nouns."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pyarabic import number as arabic_number

from services.extractor.casualties.lexicon import Lexicon, NumberWord
from services.extractor.casualties.model import NumberMention, Token

_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_ENGLISH_JOINERS = frozenset({"and", "-"})
_MAX_DIGITS = 10  # no head count has more digits (8 billion people have 10)
_MAX_COUNT = 10**10  # nor a larger value, however it is spelt
_MAX_WORD_RUN = 8  # "one million two hundred thirty-four thousand five hundred": longer runs are noise
_AND_WORDS = frozenset({"و", "and"})
_RANGE_TO = frozenset({"to", "-", "إلى", "الى"})
_BETWEEN = frozenset({"between", "بين"})
_FROM = frozenset({"from", "من"})  # "rose from 10 to 15" is a toll's new value, not a range
_MAX_RANGE_RATIO = 10  # "10 to 15" is a range; "3 to 2,000" is two counts


def parse_digits(text: str) -> float | None:
    """The value of a digit token: "1,117" and "1.117" are thousands, "1.5" is a decimal; None for
    numbers too long to be a head count (a phone number, an id, 100 digits of noise)."""
    if sum(ch.isdigit() for ch in text[: _MAX_DIGITS * 2]) > _MAX_DIGITS:
        return None
    if _GROUPED.match(text):
        return float(re.sub(r"[.,]", "", text))
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _number_word(tok: Token, lex: Lexicon) -> tuple[str, NumberWord] | None:
    """The number word a token spells (the longest matching form), if any."""
    best: tuple[str, NumberWord] | None = None
    for form in tok.forms:
        word = lex.numbers.get(form)
        if word is not None and (best is None or len(form) > len(best[0])):
            best = (form, word)
    return best


def compose(parts: Sequence[NumberWord]) -> int:
    """Add up number words the way they are spoken: units, teens, tens, hundreds, scales."""
    total = 0
    current = 0
    for part in parts:
        if part.role == "scale":
            current = (current or 1) * part.value
            total += current
            current = 0
        elif part.role == "hundred" and part.value == 100:
            current = (current or 1) * 100 if current < 10 else current + 100
        elif part.role == "unit" and part.value == 10 and 0 < current < 10:
            current += 10  # ثلاثة عشر, a teen
        else:
            current += part.value
    return total + current


def arabic_value(tokens: Sequence[Token], words: Sequence[tuple[str, NumberWord]]) -> int:
    """Value of an Arabic number-word run through pyarabic, after spelling it the way pyarabic wants."""
    pieces: list[str] = []
    for tok, (form, word) in zip(tokens, words, strict=True):
        glue_and = tok.text.startswith("و") and form != tok.text
        if word.role == "hundred" and word.value == 100 and pieces and not glue_and:
            pieces[-1] += word.canonical  # "ثلاث مئة" -> "ثلاثمئة": pyarabic reads the split form as 103
            continue
        pieces.append(("و" if glue_and else "") + word.canonical)
    value = int(arabic_number.text2number(" ".join(pieces)))
    # pyarabic returns 0 for anything it cannot read: fall back to the plain composition.
    return value or compose([w for _, w in words])


def find_numbers(tokens: Sequence[Token], lex: Lexicon) -> list[NumberMention]:
    """Every count in the tokens, in order; no two share a token."""
    out: list[NumberMention] = []
    i = 0
    while i < len(tokens):
        found = (
            _digits_at(tokens, i, lex)
            or _words_at(tokens, i, lex)
            or _two_after_noun(tokens, i, lex)
            or _dual_at(tokens, i, lex)
        )
        if found is None:
            i += 1
            continue
        found = _range_from(tokens, found, lex) or found
        out.append(found)
        i = found.last + 1
    return out


def _range_from(tokens: Sequence[Token], low: NumberMention, lex: Lexicon) -> NumberMention | None:
    """ "between 10 and 15", "70 to 80", "بين 10 و15": one count, its low end, with the high end kept."""
    j = low.last + 1
    if low.noun_included or j + 1 >= len(tokens) or tokens[j].sentence != tokens[low.first].sentence:
        return None
    before = tokens[low.first - 1].text if low.first > 0 else ""
    joiner = tokens[j].text
    between = before in _BETWEEN
    if not (joiner in _RANGE_TO and before not in _FROM) and not (
        between and joiner in _AND_WORDS | _RANGE_TO
    ):
        return None
    high = _digits_at(tokens, j + 1, lex) or _words_at(tokens, j + 1, lex)
    if high is None or high.noun_included or not low.value < high.value <= low.value * _MAX_RANGE_RATIO:
        return None
    return NumberMention(low.first, high.last, low.value, low.source, high=high.value)


def _scale_after(tokens: Sequence[Token], j: int, lex: Lexicon) -> int | None:
    if j >= len(tokens):
        return None
    hit = _number_word(tokens[j], lex)
    if hit is not None and hit[1].role == "scale":
        return hit[1].value
    return None


def _digits_at(tokens: Sequence[Token], i: int, lex: Lexicon) -> NumberMention | None:
    tok = tokens[i]
    if tok.kind != "num":
        return None
    value = parse_digits(tok.text)
    if value is None:
        return None
    scale = _scale_after(tokens, i + 1, lex)
    if scale is not None:
        rest = _remainder_after(tokens, i + 2, scale)
        if rest is not None:  # "41 ألفا و118": thousands and the rest
            return NumberMention(i, rest[0], int(value * scale) + rest[1], "digits")
        return NumberMention(i, i + 1, int(value * scale), "digits")
    if value != int(value):
        return None  # a decimal without a scale is no head count
    return NumberMention(i, i, int(value), "digits")


def _remainder_after(tokens: Sequence[Token], j: int, scale: int) -> tuple[int, int] | None:
    """ "و118" after "41 ألفا": (last token, value) of the smaller digits joined by "and"."""
    if j + 1 >= len(tokens) or tokens[j].text not in _AND_WORDS or tokens[j + 1].kind != "num":
        return None
    if tokens[j].sentence != tokens[j + 1].sentence:
        return None
    value = parse_digits(tokens[j + 1].text)
    if value is None or value != int(value) or not 0 < value < scale:
        return None
    return (j + 1, int(value))


def _words_at(tokens: Sequence[Token], i: int, lex: Lexicon) -> NumberMention | None:
    start = i
    lead_one = tokens[i].text in lex.one_words or tokens[i].text == "one"
    first = _number_word(tokens[i], lex)
    if first is None and lead_one and i + 1 < len(tokens):
        nxt = _number_word(tokens[i + 1], lex)
        if nxt is not None and nxt[1].role in ("scale", "hundred"):
            i += 1  # "a dozen", "a hundred"
            first = nxt
    if first is None:
        return None
    if (first[0] in lex.scale_only and start == i) or (
        first[0] in lex.compound_only and not _continues(tokens, i, lex)
    ):
        return None
    run_tokens = [tokens[i]]
    run_words = [first]
    j = i + 1
    while j < len(tokens) and len(run_tokens) < _MAX_WORD_RUN:
        k = j + 1 if lex.lang == "en" and tokens[j].text in _ENGLISH_JOINERS else j
        if k >= len(tokens) or tokens[k].sentence != tokens[i].sentence:
            break
        hit = _number_word(tokens[k], lex)
        if hit is None or (lex.lang == "ar" and _two_units(run_words[-1][1], hit[1], tokens[k])):
            break
        run_tokens.append(tokens[k])
        run_words.append(hit)
        j = k + 1
    value = arabic_value(run_tokens, run_words) if lex.lang == "ar" else compose([w for _, w in run_words])
    if value > _MAX_COUNT:
        return None
    return NumberMention(start, run_tokens[-1].index, value, "words")


def _two_units(last: NumberWord, nxt: NumberWord, tok: Token) -> bool:
    """ "رجل واحد وخمس نساء": a unit joined by و to another unit is a list, never one number (a unit
    joins a ten, "واحد وعشرون")."""
    return last.role == nxt.role == "unit" and tok.text.startswith("و") and nxt.value < 10  # conj


def _continues(tokens: Sequence[Token], i: int, lex: Lexicon) -> bool:
    """A compound-only word ("واحد") is a number only when another number word follows."""
    if i + 1 >= len(tokens):
        return False
    this, nxt = _number_word(tokens[i], lex), _number_word(tokens[i + 1], lex)
    return nxt is not None and not (
        lex.lang == "ar" and this is not None and _two_units(this[1], nxt[1], tokens[i + 1])
    )


def _two_after_noun(tokens: Sequence[Token], i: int, lex: Lexicon) -> NumberMention | None:
    """Arabic puts "two" after its noun: "صحفيين اثنين", "طفلين اثنين"."""
    if lex.lang != "ar" or i + 1 >= len(tokens) or tokens[i].kind != "word":
        return None
    noun = next((lex.victims[f] for f in tokens[i].forms if f in lex.victims), None)
    hit = _number_word(tokens[i + 1], lex)
    if noun is None or noun.number == "singular" or hit is None or hit[1].value != 2 or hit[1].role != "unit":
        return None
    return NumberMention(i, i + 1, 2, "words", noun_included=True)


def _dual_at(tokens: Sequence[Token], i: int, lex: Lexicon) -> NumberMention | None:
    tok = tokens[i]
    if tok.kind != "word":
        return None
    for form in tok.forms:
        noun = lex.victims.get(form)
        if noun is not None and noun.number == "dual":
            return NumberMention(i, i, 2, "dual", noun_included=True)
    return None
