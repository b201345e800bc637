"""Sentence boundaries for Arabic and English text, as character offsets.

Rules, not a model: a line break ends a sentence (the parser puts one
between paragraphs) unless it only wraps a line that goes on in lower case; ``؟`` and ``؛`` end one wherever they stand; ``.``, ``!``,
``?`` and ``…`` end one when whitespace or the end of the text follows, except
after an abbreviation ("Dr.", "U.N.", "a.m." before a lower-case word), an
initial ("Ahmad Y. Saleh", "د. رنا") or before a lower-case Latin word.
Closing quotes and brackets after the terminator belong to the sentence.
"""

from __future__ import annotations

import re


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Abbreviations after which a full stop never ends a sentence: titles and ranks
# come before a name; the others are almost always followed by more of the sentence.
_NEVER_FINAL = _words(
    """
    mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm cmdr sen rep gov pres rev hon st mt ft
    no nos vol fig approx dept univ vs cf jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.n u.k e.g i.e
    """
)

# Abbreviations that often close a sentence: a boundary only if a capital follows.
_MAYBE_FINAL = _words("a.m p.m etc inc ltd co corp jr sr bros")

# A terminator run, the quotes/brackets that close with it, and what follows.
_CANDIDATE = re.compile(r"[.!?…]*[؟؛][.!?…؟؛]*['\"’”»)\]]*|[.!?…]+['\"’”»)\]]*(?=\s|$)|\n")

# The word right before a full stop, dots inside it included ("U.S", "a.m").
_WORD_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)$")

# Arabic letters: a lone one before a full stop is an initial or a title (د. = Dr.).
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return half-open [start, end) offsets, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group() != "\n" and not _is_boundary(text, match):
            continue
        if match.group() == "\n" and _wrapped_line(text, match.start()):
            continue
        end = match.start() if match.group() == "\n" else match.end()
        _add_trimmed(text, start, end, spans)
        start = match.end()
    _add_trimmed(text, start, len(text), spans)
    return spans


# What may end a line that ends its sentence or stands alone (a heading, a list item's label).
_LINE_CLOSERS = frozenset(".!?…؟؛:;,'\"’”»)]")


def _wrapped_line(text: str, pos: int) -> bool:
    """Whether the line break at ``pos`` only wraps a long line: text hard-wrapped at a fixed width
    (feeds, e-mail copy) breaks mid-sentence, and no sentence starts with a lower-case Latin word,
    so a line that ends without a closer and goes on in lower case is one sentence."""
    before = text[max(0, pos - 40) : pos].rstrip(" \t")
    if not before or before[-1] in _LINE_CLOSERS or before[-1] == "\n":
        return False
    after = text[pos + 1 : pos + 41].lstrip(" \t")
    return bool(after) and after[0].isascii() and after[0].islower()


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether a terminator candidate really ends a sentence."""
    run = match.group()
    if run[0] != ".":
        return True
    if run.startswith("...") or "…" in run:
        return _next_word_is_capital(text, match.end()) or _next_is_not_latin(text, match.end())
    # Only a short window before the stop: scanning from 0 would make splitting quadratic.
    word_match = _WORD_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
    if word_match is not None:
        word = word_match.group(1)
        lowered = word.lower()
        if lowered in _NEVER_FINAL:
            return False
        if lowered in _MAYBE_FINAL:
            return _next_word_is_capital(text, match.end())
        if len(word) == 1 and (word.isupper() or _ARABIC_LETTER.match(word)):
            return False  # an initial: "Ahmad Y. Saleh", "د. رنا قاسم"
    return not _next_word_is_lower_latin(text, match.end())


def _next_char(text: str, pos: int) -> str:
    """The first letter or digit at or after ``pos``, skipping spaces, quotes and brackets."""
    for ch in text[pos : pos + 40]:
        if ch == "\n":
            return ""
        if ch.isalnum():
            return ch
    return ""


def _next_word_is_lower_latin(text: str, pos: int) -> bool:
    ch = _next_char(text, pos)
    return ch.isascii() and ch.islower()


def _next_word_is_capital(text: str, pos: int) -> bool:
    return _next_char(text, pos).isupper()


def _next_is_not_latin(text: str, pos: int) -> bool:
    ch = _next_char(text, pos)
    return bool(ch) and not ch.isascii()


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append [start, end) without surrounding whitespace, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
