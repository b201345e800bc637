"""Tokens with offsets into the original text, sentence and clause numbers, and the lookup forms and
conjunction flag their language's grammar (``grammar/<lang>.py``) gives them."""

from __future__ import annotations

import bisect
import inspect
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from services.extractor.casualties.grammar import grammar_for
from services.extractor.casualties.lexicon import TOKEN_RE, Lexicon
from services.extractor.casualties.match import match_at
from services.extractor.casualties.model import Token
from shared.textnorm import normalize

# Marks that end a clause: places and scope cues are looked up clause by clause.
_CLAUSE_MARKS = frozenset(",;:–—")
# A punctuation token's forms are the mark itself: compared as sets, one lookup each.
_CLAUSE_MARK_FORMS = frozenset(frozenset({mark}) for mark in _CLAUSE_MARKS)
SentenceSplitter = Callable[[str], list[tuple[int, int]]]


def default_splitter(lang: str = "en") -> SentenceSplitter:
    """The project's sentence splitter (shared.sentences), whether or not it takes the language."""
    from shared.sentences import split_sentences

    if len(inspect.signature(split_sentences).parameters) > 1:
        return lambda text: split_sentences(text, lang)  # type: ignore[call-arg]
    return split_sentences


def word_kind(text: str) -> str:
    """ "num", "word" or "punct": what a token of ``TOKEN_RE`` is, by its first character."""
    if text[0].isdigit():
        return "num"
    if text[0].isalpha():
        return "word"
    return "punct"


class _Draft(NamedTuple):
    """What clause numbering reads of a token (``match_at`` looks at nothing else)."""

    forms: frozenset[str]
    kind: str


# What a word is, by its text: kind, lookup forms, "and" and glued "and". Words repeat (an article of
# a thousand tokens has a few hundred distinct ones), so each is worked out once per text.
_WordInfo = tuple[str, frozenset[str], bool, bool]


def word_forms(word: str, kind: str, grammar: Any) -> frozenset[str]:
    """The keys a token is looked up by: a word's grammatical forms, a number or mark as itself."""
    return grammar.lookup_forms(word) if kind == "word" else frozenset({word})


def _word_info(word: str, grammar: Any) -> _WordInfo:
    kind = word_kind(word)
    conj = kind == "word" and grammar.is_conjunction(word)
    return (kind, word_forms(word, kind, grammar), conj, conj and grammar.is_glued_conjunction(word))


def tokenize(text: str, lex: Lexicon, splitter: SentenceSplitter | None = None) -> list[Token]:
    """Tokens of ``text`` with original offsets, sentence numbers and clause numbers."""
    norm = normalize(text)
    spans = (splitter or default_splitter(lex.lang))(text) or [(0, len(text))]
    starts = [s for s, _ in spans]
    grammar = grammar_for(lex.lang)
    ntext = norm.text
    matches = [(m.group(), m.span()) for m in TOKEN_RE.finditer(ntext)]
    known: dict[str, _WordInfo] = {}
    drafts: list[_Draft] = []
    for word, _ in matches:
        info = known.get(word)
        if info is None:
            info = known[word] = _word_info(word, grammar)
        drafts.append(_Draft(info[1], info[0]))
    places = norm.spans_to_original(span for _, span in matches)
    sentences: list[int] = []
    passed = 0  # sentence starts at or before the current token (tokens come in text order)
    for start, _ in places:
        while passed < len(starts) and starts[passed] <= start:
            passed += 1
        sentences.append(max(0, passed - 1))
    size = len(ntext)
    spaced = [a > 0 and ntext[a - 1] == " " and b < size and ntext[b] == " " for _, (a, b) in matches]
    clauses = _number_clauses(drafts, sentences, spaced, lex)
    tokens = []
    for i, ((word, _), (start, end), sentence, clause) in enumerate(
        zip(matches, places, sentences, clauses, strict=True)
    ):
        kind, forms, conj, glued = known[word]
        tokens.append(Token(i, word, forms, start, end, kind, sentence, clause, conj, glued))
    return Tokens(tokens)


def _number_clauses(
    drafts: list[_Draft], sentences: list[int], spaced: list[bool], lex: Lexicon
) -> list[int]:
    """Each token's clause number: a new clause after , ; : or a dash, and at a clause opener."""
    openers = lex.cues.get("clause_openers")
    firsts = openers.by_first.keys() if openers is not None else {}.keys()
    out: list[int] = []
    clause = 0
    for i, tok in enumerate(drafts):
        if i > 0 and (
            sentences[i] != sentences[i - 1]
            or tok.kind == "word"
            and not firsts.isdisjoint(tok.forms)
            and match_at(drafts, i, openers) is not None  # type: ignore[arg-type]
        ):
            clause += 1
        out.append(clause)
        if tok.kind == "punct" and (tok.forms in _CLAUSE_MARK_FORMS or ("-" in tok.forms and spaced[i])):
            clause += 1
    return out


class Tokens(list[Token]):
    """The tokens of one text, with the indexes the stages look things up by (built once)."""

    def __init__(self, items: Sequence[Token] = ()) -> None:
        super().__init__(items)
        self.starts = [t.start for t in self]
        self.sentence_range = _ranges([t.sentence for t in self], [t.index for t in self])
        self.clause_range = _ranges([t.clause for t in self], [t.index for t in self])


def _ranges(keys: list[int], indexes: list[int]) -> dict[int, tuple[int, int]]:
    """Each key's (first index, last index + 1): a sentence's or clause's tokens as a slice."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for key, index in zip(keys, indexes, strict=True):
        first.setdefault(key, index)
        last[key] = index + 1
    return {key: (lo, last[key]) for key, lo in first.items()}


def _as_tokens(tokens: Sequence[Token]) -> Tokens:
    return tokens if isinstance(tokens, Tokens) else Tokens(tokens)


def token_index(tokens: Sequence[Token], offset: int) -> int:
    """Index of the token that contains or follows character ``offset`` of the original text."""
    starts = tokens.starts if isinstance(tokens, Tokens) else [t.start for t in tokens]
    i = bisect.bisect_right(starts, offset) - 1
    return max(0, min(i, len(tokens) - 1))


def sentence_tokens(tokens: Sequence[Token], sentence: int) -> Sequence[Token]:
    """The tokens of one sentence."""
    lo, hi = _as_tokens(tokens).sentence_range.get(sentence, (0, 0))
    return tokens[lo:hi]


def clause_tokens(tokens: Sequence[Token], clause: int) -> Sequence[Token]:
    """The tokens of one clause (clauses never cross sentences)."""
    lo, hi = _as_tokens(tokens).clause_range.get(clause, (0, 0))
    return tokens[lo:hi]
