"""The noun phrase after a count: which people it names, and whether it names people at all.

"14 civilians", "12 more Syrian civilians", "20 murder victims", "three wounded guards", "40 من
القوات": the words between a count and its noun (adjectives, a people's name, a partitive "من"),
the noun itself (listed in the lexicon, or guessed from its shape), and when the count counts
things instead ("5 cars") no noun at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.arabic_words import PREPOSITIONS, article_prefixes
from services.extractor.casualties.lexicon import Lexicon
from services.extractor.casualties.match import match_at
from services.extractor.casualties.model import NumberMention, Token, VictimNoun

_MAX_MODIFIERS = 2  # adjectives allowed between a count and its noun ("12 more Syrian civilians")
_DEFINITE = article_prefixes(PREPOSITIONS, pairs=False)


def victim_noun(tok: Token, lex: Lexicon) -> VictimNoun | None:
    """The victim noun a token spells, preferring its longest form."""
    best: tuple[int, VictimNoun] | None = None
    for form in tok.forms:
        noun = lex.victims.get(form)
        if noun is not None and (best is None or len(form) > best[0]):
            best = (len(form), noun)
    return best[1] if best else None


def is_definite(tok: Token) -> bool:
    """An Arabic word with the article ("الطفل"): a known person, not a count."""
    return tok.text.startswith(_DEFINITE)


def _skip_modifiers(tokens: Sequence[Token], j: int, lex: Lexicon) -> int:
    """Index of the first token after adjectives/partitive "من" that may precede the noun."""
    if lex.lang == "ar":
        return j + 1 if j < len(tokens) and tokens[j].text == "من" else j
    k = j
    while (
        k < len(tokens)
        and k - j < _MAX_MODIFIERS
        and (tokens[k].text in lex.modifiers or _demonym_before_noun(tokens, k, lex))
    ):
        k += 1
    return k


def _demonym_before_noun(tokens: Sequence[Token], k: int, lex: Lexicon) -> bool:
    """A word shaped like a people's adjective ("Eritrean", "Chinese") right before a people noun."""
    tok = tokens[k]
    if (
        tok.kind != "word"
        or len(tok.text) < _MIN_GUESS_LEN
        or not tok.text.endswith(tuple(lex.words("demonym_endings")))
    ):
        return False
    if k + 1 >= len(tokens) or tokens[k + 1].sentence != tok.sentence or victim_noun(tok, lex) is not None:
        return False
    after = tokens[k + 1]
    return victim_noun(after, lex) is not None or _unknown_people_noun(after, lex)


def read_noun_phrase(
    tokens: Sequence[Token], n: NumberMention, lex: Lexicon
) -> tuple[int, VictimNoun | None, str | None] | None:
    """(last token of the noun phrase, victim noun, partitive cue) after a count; None if it counts things."""
    if n.noun_included:
        noun = victim_noun(tokens[n.last], lex) or victim_noun(tokens[n.first], lex)
        return (n.last, noun, None)
    j = n.last + 1
    if lex.lang == "ar" and j < len(tokens) and tokens[j].conj:
        return (n.last, None, None)  # "وأصيب 9 وأسر ثلاثة": the glued و opens the next clause
    if j < len(tokens) and tokens[j].sentence == tokens[n.last].sentence:
        if match_at(tokens, j, lex.cues.get("block_nouns")) is not None and not _noun_after(tokens, j, lex):
            return None
        partitive = match_at(tokens, j, lex.cues.get("partitive_after"))
        if partitive is not None:
            end = j + partitive[0] - 1
            # "5 of the 9 victims": the part ends before the total's count, which is a figure itself.
            return (end - 1 if tokens[end].kind == "num" else end, None, "partitive")
        k = _skip_modifiers(tokens, j, lex)
        if k < len(tokens) and tokens[k].sentence == tokens[n.last].sentence:
            noun = victim_noun(tokens[k], lex)
            if noun is not None:
                return _attributive(tokens, k, noun, lex) or (k, noun, None)
            compound = _compound_noun(tokens, k, lex)
            if compound is not None:
                return _attributive(tokens, k + 1, compound, lex) or (k + 1, compound, None)
            body = _partitive_body(tokens[k], lex) if k > j else None
            if body is not None:
                return (k, body, None)  # "40 من القوات": a known body, no guessed noun
            if _unknown_people_noun(tokens[k], lex):
                return (k, GUESSED_NOUN, None)
            if k > j and match_at(tokens, k, lex.cues.get("block_nouns")) is not None:
                return None
        if k > j and (k >= len(tokens) or tokens[k].kind == "punct" or _conjunction(tokens, k, lex)):
            return (k - 1, GUESSED_NOUN, None)  # "one Iraqi and 6 Turks": the adjective is the noun
    return (n.last, None, None)


def _attributive(
    tokens: Sequence[Token], k: int, fate: VictimNoun, lex: Lexicon
) -> tuple[int, VictimNoun, None] | None:
    """ "three wounded guards later died": a fate used as an adjective before the people noun;
    the noun heads the phrase, and the fate stays the count's kind only if no verb gives another
    (``fate_adjective``)."""
    if lex.lang != "en" or fate.casualty_kind is None:
        return None
    h = _skip_modifiers(tokens, k + 1, lex)
    if h >= len(tokens) or tokens[h].sentence != tokens[k].sentence:
        return None
    head = victim_noun(tokens[h], lex)
    if head is None or head.casualty_kind is not None:
        return None
    return (h, head, None)


def _compound_noun(tokens: Sequence[Token], k: int, lex: Lexicon) -> VictimNoun | None:
    """ "20 murder victims", "4 aid workers": an English noun modifying the people noun after it."""
    if lex.lang != "en" or tokens[k].kind != "word" or k + 1 >= len(tokens):
        return None
    if tokens[k + 1].sentence != tokens[k].sentence or _conjunction(tokens, k, lex):
        return None
    if (
        tokens[k].forms & lex.triggers.by_first.keys()
        or tokens[k].forms & lex.cues["skippable"].by_first.keys()
    ):
        return None
    return victim_noun(tokens[k + 1], lex)


def _conjunction(tokens: Sequence[Token], k: int, lex: Lexicon) -> bool:
    """A noun phrase ends before a conjunction ("one Iraqi and 6 Turks")."""
    return match_at(tokens, k, lex.cues.get("conjunctions")) is not None


def _noun_after(tokens: Sequence[Token], j: int, lex: Lexicon) -> bool:
    """A people noun right after a noun of things makes that noun its modifier ("9 family members")."""
    return (
        j + 1 < len(tokens)
        and tokens[j + 1].sentence == tokens[j].sentence
        and victim_noun(tokens[j + 1], lex) is not None
    )


def group_category(tok: Token, lex: Lexicon) -> str | None:
    """The category of a body of people a token names ("القوات", "السكان", "forces"), if any."""
    return next((lex.groups[f] for f in tok.forms if f in lex.groups), None)


def _partitive_body(tok: Token, lex: Lexicon) -> VictimNoun | None:
    """The body a partitive after a count names ("من القوات", "من السكان"), as a plural noun."""
    category = group_category(tok, lex)
    return VictimNoun(category, None, "plural") if category is not None else None


GUESSED_NOUN = VictimNoun("people", None, "plural")  # a noun not in the lexicon ("7 tourists")
_MIN_GUESS_LEN = 4  # shorter words after a count are function words ("في", "and")


def _unknown_people_noun(tok: Token, lex: Lexicon) -> bool:
    """A word after a count that may name people the lexicon does not list; kinds.py then asks for a
    trigger right next to it."""
    if tok.kind != "word" or len(tok.text) < _MIN_GUESS_LEN:
        return False
    for cue in ("skippable", "qualifiers", "subset_before", "partitive_after", "block_nouns", "toll_words"):
        if tok.forms & lex.cues[cue].by_first.keys():
            return False
    if tok.forms & lex.triggers.by_first.keys() or tok.forms & lex.numbers.keys():
        return False
    return lex.lang == "ar" or tok.text.endswith("s")


def predicative_noun(tokens: Sequence[Token], j: int, lex: Lexicon) -> VictimNoun | None:
    """The noun after "were"/"was" following a count or its partitive: "nine were women"."""
    k = j
    if k < len(tokens) and tokens[k].kind == "num":  # "of the 9 victims were children": skip the total
        k += 1
        while k < len(tokens) and k - j <= _MAX_MODIFIERS + 1 and victim_noun(tokens[k], lex) is None:
            k += 1
        k += 1
    if k >= len(tokens) or match_at(tokens, k, lex.cues.get("be_verbs")) is None:
        return None
    k += 1
    if k < len(tokens) and tokens[k].text in lex.one_words:
        k += 1
    return victim_noun(tokens[k], lex) if k < len(tokens) else None
