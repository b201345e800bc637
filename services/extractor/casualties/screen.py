"""A cheap first look at a text: can it state a casualty figure at all?

Most news states none (sports, business, politics), and on a long page the full reading
(tokens with offsets, clause numbers, candidate counts) is most of the extractor's cost. Every
figure the rules keep has a kind, and a kind comes only from a trigger phrase ("killed",
"were wounded"), a toll word ("the toll rose to 40", read as killed) or a casualty noun ("the
dead", "قتيل"). A phrase can match only where each of its words is a word of the text, so a text
in which no such phrase has all its words present holds no figure, and is not read further.
The test is on the set of the text's words (each with its language's lookup forms), so it never
says no where the rules would find a figure: it only lets through texts they then find none in.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from services.extractor.casualties.grammar import grammar_for
from services.extractor.casualties.lexicon import NUMBER_SLOT, TOKEN_RE, Lexicon, load_lexicon
from services.extractor.casualties.tokens import word_forms, word_kind
from shared.textnorm import normalize


@cache
def kind_phrases(lang: str) -> tuple[frozenset[str], ...]:
    """The word sets of every phrase that can give a figure its kind, in ``lang``."""
    lex = load_lexicon(lang)
    phrases: set[frozenset[str]] = set()
    for source in (lex.triggers, lex.cues.get("toll_words")):
        for entries in source.by_first.values() if source is not None else ():
            phrases.update(frozenset(words) for words, _ in entries)
    phrases.update(frozenset({word}) for word, noun in lex.victims.items() if noun.casualty_kind)
    return tuple(sorted(phrases, key=len))  # one-word phrases first: the usual early answer


def may_state_figures(texts: Iterable[str], lex: Lexicon) -> bool:
    """Whether any of ``texts`` (an article's body and title) has every word of some kind phrase."""
    grammar = grammar_for(lex.lang)
    forms: set[str] = set()
    for text in texts:
        for word in set(TOKEN_RE.findall(normalize(text).text)) if text else ():
            kind = word_kind(word)
            forms.update(word_forms(word, kind, grammar))
            if kind == "num":
                forms.add(NUMBER_SLOT)  # a phrase's "#" matches any number token
    return any(phrase <= forms for phrase in kind_phrases(lex.lang))
