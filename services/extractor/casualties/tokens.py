"""Tokens with offsets into the original text, sentence and clause numbers, and Arabic lookup forms."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace

from services.extractor.casualties.lexicon import TOKEN_RE, Lexicon
from services.extractor.casualties.match import match_at
from services.extractor.casualties.model import Token
from shared.textnorm import normalize

# Marks that end a clause: places and scope cues are looked up clause by clause.
_CLAUSE_MARKS = frozenset(",;:–—")
_PROCLITICS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
_PRONOUN_SUFFIXES = ("هم", "هن", "ها", "ه")

SentenceSplitter = Callable[[str], list[tuple[int, int]]]


def default_splitter() -> SentenceSplitter:
    """The project's sentence splitter (shared.sentences)."""
    from shared.sentences import split_sentences

    return split_sentences


def arabic_forms(word: str) -> frozenset[str]:
    """The word and its variants without glued و/ف, ب/ل/ك, the article, tanween alef or a pronoun."""
    forms = {word}
    if len(word) > 3 and word.startswith(_PROCLITICS):
        forms.add(word[1:])
    for f in list(forms):
        if f.startswith("لل") and len(f) > 4:
            forms.add("ال" + f[2:])
        if len(f) > 3 and f.startswith(_PREPOSITIONS):
            forms.add(f[1:])
    for f in list(forms):
        if f.startswith("ال") and len(f) > 4:
            forms.add(f[2:])
    for f in list(forms):
        if f.endswith("ا") and len(f) > 3:
            forms.add(f[:-1])
        for suffix in _PRONOUN_SUFFIXES:
            if f.endswith(suffix) and len(f) - len(suffix) >= 3:
                forms.add(f[: -len(suffix)])
                break
    return frozenset(forms)


def _kind(text: str) -> str:
    if text[0].isdigit():
        return "num"
    if text[0].isalpha():
        return "word"
    return "punct"


def tokenize(text: str, lex: Lexicon, splitter: SentenceSplitter | None = None) -> list[Token]:
    """Tokens of ``text`` with original offsets, sentence numbers and clause numbers."""
    norm = normalize(text)
    spans = (splitter or default_splitter())(text) or [(0, len(text))]
    starts = [s for s, _ in spans]
    raw: list[tuple[str, int, int, int, bool]] = []
    for m in TOKEN_RE.finditer(norm.text):
        start, end = norm.span_to_original(m.start(), m.end())
        sentence = max(0, bisect.bisect_right(starts, start) - 1)
        spaced = m.start() > 0 and norm.text[m.start() - 1] == " "
        spaced = spaced and m.end() < len(norm.text) and norm.text[m.end()] == " "
        raw.append((m.group(), start, end, sentence, spaced))
    tokens: list[Token] = []
    for i, (word, start, end, sentence, _) in enumerate(raw):
        kind = _kind(word)
        forms = arabic_forms(word) if lex.lang == "ar" and kind == "word" else frozenset({word})
        tokens.append(Token(i, word, forms, start, end, kind, sentence, 0))
    return _number_clauses(tokens, [r[4] for r in raw], lex)


def _number_clauses(tokens: list[Token], spaced: list[bool], lex: Lexicon) -> list[Token]:
    """Give each token its clause number: a new clause after , ; : or a dash, and at a clause opener."""
    openers = lex.cues.get("clause_openers")
    out: list[Token] = []
    clause = 0
    for i, tok in enumerate(tokens):
        if (
            i > 0
            and tok.sentence != tokens[i - 1].sentence
            or i > 0
            and tok.kind == "word"
            and match_at(tokens, i, openers) is not None
        ):
            clause += 1
        out.append(replace(tok, clause=clause))
        if tok.kind == "punct" and (tok.text in _CLAUSE_MARKS or (tok.text == "-" and spaced[i])):
            clause += 1
    return out


def token_index(tokens: Sequence[Token], offset: int) -> int:
    """Index of the token that contains or follows character ``offset`` of the original text."""
    starts = [t.start for t in tokens]
    i = bisect.bisect_right(starts, offset) - 1
    return max(0, min(i, len(tokens) - 1))
