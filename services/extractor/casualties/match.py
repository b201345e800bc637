"""Matching lexicon phrases against tokens."""

from __future__ import annotations

from collections.abc import KeysView, Sequence
from typing import Any

from services.extractor.casualties.lexicon import NUMBER_SLOT, PhraseSet
from services.extractor.casualties.model import Token


def match_at(tokens: Sequence[Token], i: int, phrases: PhraseSet | None) -> tuple[int, Any] | None:
    """The longest phrase starting at token ``i``: (length in tokens, value), or None."""
    if phrases is None or i < 0 or i >= len(tokens):
        return None
    keys = (*tokens[i].forms, NUMBER_SLOT) if tokens[i].kind == "num" else tokens[i].forms
    for form in keys:
        for words, value in phrases.by_first.get(form, ()):
            if _matches(tokens, i, words):
                return (len(words), value)
    return None


def match_ending_at(
    tokens: Sequence[Token], j: int, phrases: PhraseSet | None, longest: int = 4
) -> tuple[int, Any] | None:
    """A phrase whose last token is ``j``: (start index, value), or None; the longest wins."""
    for start in range(max(0, j - longest + 1), j + 1):
        hit = match_at(tokens, start, phrases)
        if hit is not None and start + hit[0] - 1 == j:
            return (start, hit[1])
    return None


def _matches(tokens: Sequence[Token], i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(tokens):
        return False
    for offset, word in enumerate(words):
        tok = tokens[i + offset]
        if word == NUMBER_SLOT:
            if tok.kind != "num":
                return False
        elif word not in tok.forms:
            return False
    return True


def find_all(
    tokens: Sequence[Token], phrases: PhraseSet | None, lo: int = 0, hi: int | None = None
) -> list[tuple[int, int, Any]]:
    """Every non-overlapping match in tokens[lo:hi] as (start, length, value)."""
    out: list[tuple[int, int, Any]] = []
    if phrases is None:
        return out
    firsts = phrases.by_first.keys()
    end = len(tokens) if hi is None else min(hi, len(tokens))
    i = max(lo, 0)
    while i < end:
        tok = tokens[i]
        if tok.kind != "num" and firsts.isdisjoint(tok.forms):
            i += 1  # most tokens start no phrase: one set test in C (starts_any, inlined)
            continue
        hit = match_at(tokens, i, phrases)
        if hit is not None and i + hit[0] <= end:
            out.append((i, hit[0], hit[1]))
            i += hit[0]
        else:
            i += 1
    return out


def starts_any(token: Token, firsts: KeysView[str]) -> bool:
    """Whether ``token`` may start one of the phrases whose first words are ``firsts`` (a number always may)."""
    return token.kind == "num" or not firsts.isdisjoint(token.forms)
