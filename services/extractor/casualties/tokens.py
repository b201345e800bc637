"""Tokens with offsets into the original text, sentence and clause numbers, and the lookup forms and
conjunction flag their language's grammar (``grammar/<lang>.py``) gives them."""

from __future__ import annotations

import bisect
import inspect
from collections.abc import Callable, Sequence

from services.extractor.casualties.grammar import grammar_for
from services.extractor.casualties.lexicon import TOKEN_RE, Lexicon
from services.extractor.casualties.match import match_at, starts_any
from services.extractor.casualties.model import Token
from shared.textnorm import normalize

# Marks that end a clause: places and scope cues are looked up clause by clause.
_CLAUSE_MARKS = frozenset(",;:–—")
SentenceSplitter = Callable[[str], list[tuple[int, int]]]


def default_splitter(lang: str = "en") -> SentenceSplitter:
    """The project's sentence splitter (shared.sentences), whether or not it takes the language."""
    from shared.sentences import split_sentences

    if len(inspect.signature(split_sentences).parameters) > 1:
        return lambda text: split_sentences(text, lang)  # type: ignore[call-arg]
    return split_sentences


def _kind(text: str) -> str:
    if text[0].isdigit():
        return "num"
    if text[0].isalpha():
        return "word"
    return "punct"


def tokenize(text: str, lex: Lexicon, splitter: SentenceSplitter | None = None) -> list[Token]:
    """Tokens of ``text`` with original offsets, sentence numbers and clause numbers."""
    norm = normalize(text)
    spans = (splitter or default_splitter(lex.lang))(text) or [(0, len(text))]
    starts = [s for s, _ in spans]
    raw: list[tuple[str, int, int, int, bool]] = []
    for m in TOKEN_RE.finditer(norm.text):
        start, end = norm.span_to_original(m.start(), m.end())
        sentence = max(0, bisect.bisect_right(starts, start) - 1)
        spaced = m.start() > 0 and norm.text[m.start() - 1] == " "
        spaced = spaced and m.end() < len(norm.text) and norm.text[m.end()] == " "
        raw.append((m.group(), start, end, sentence, spaced))
    grammar = grammar_for(lex.lang)
    tokens: list[Token] = []
    for i, (word, start, end, sentence, _) in enumerate(raw):
        kind = _kind(word)
        forms = grammar.lookup_forms(word) if kind == "word" else frozenset({word})
        conj = kind == "word" and grammar.is_conjunction(word)
        glued = conj and grammar.is_glued_conjunction(word)
        tokens.append(Token(i, word, forms, start, end, kind, sentence, 0, conj, glued))
    return Tokens(_number_clauses(tokens, [r[4] for r in raw], lex))


def _number_clauses(tokens: list[Token], spaced: list[bool], lex: Lexicon) -> list[Token]:
    """Give each token its clause number: a new clause after , ; : or a dash, and at a clause opener."""
    openers = lex.cues.get("clause_openers")
    firsts = openers.by_first.keys() if openers is not None else {}.keys()
    out: list[Token] = []
    clause = 0
    for i, tok in enumerate(tokens):
        if (
            i > 0
            and tok.sentence != tokens[i - 1].sentence
            or i > 0
            and tok.kind == "word"
            and starts_any(tok, firsts)
            and match_at(tokens, i, openers) is not None
        ):
            clause += 1
        # Built directly: dataclasses.replace introspects the fields on every call (a fifth of the
        # extractor's time on real pages, one call per token).
        out.append(
            Token(
                tok.index,
                tok.text,
                tok.forms,
                tok.start,
                tok.end,
                tok.kind,
                tok.sentence,
                clause,
                tok.conj,
                tok.glued,
            )
        )
        if tok.kind == "punct" and (tok.text in _CLAUSE_MARKS or (tok.text == "-" and spaced[i])):
            clause += 1
    return out


class Tokens(list[Token]):
    """The tokens of one text, with the indexes the stages look things up by (built once)."""

    def __init__(self, items: Sequence[Token] = ()) -> None:
        super().__init__(items)
        self.starts = [t.start for t in self]
        self.sentence_range: dict[int, tuple[int, int]] = {}
        self.clause_range: dict[int, tuple[int, int]] = {}
        for t in self:
            lo, _ = self.sentence_range.get(t.sentence, (t.index, t.index))
            self.sentence_range[t.sentence] = (lo, t.index + 1)
            lo, _ = self.clause_range.get(t.clause, (t.index, t.index))
            self.clause_range[t.clause] = (lo, t.index + 1)


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
