"""The sentence a figure is stated in, so a reader can check the number against its context."""

from __future__ import annotations

from collections.abc import Sequence

from services.extractor.casualties.model import Token
from services.extractor.casualties.tokens import sentence_tokens, token_index
from shared.records import MAX_SENTENCE_CHARS


def sentence_around(tokens: Sequence[Token], text: str, start: int, end: int) -> tuple[str, int]:
    """(the sentence or sentences holding ``text[start:end]``, its offset in ``text``)."""
    if not tokens or not 0 <= start < end <= len(text):
        return text[start:end], start
    first = sentence_tokens(tokens, tokens[token_index(tokens, start)].sentence)
    last = sentence_tokens(tokens, tokens[token_index(tokens, max(start, end - 1))].sentence)
    lo = min(first[0].start, start) if first else start
    hi = max(last[-1].end, end) if last else end
    if hi - lo > MAX_SENTENCE_CHARS:
        spare = max(0, MAX_SENTENCE_CHARS - (end - start)) // 2
        lo, hi = max(lo, start - spare), min(hi, end + spare)
    return text[lo:hi], lo
