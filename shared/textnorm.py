"""Text normalisation for matching, with a map back to the original text.

Every stage that matches words (the parser's language guess, the extractor's
dictionaries and rules) works on the normalised text; every span it reports is
mapped back through :class:`NormalizedText` to the exact characters of the
original, so evidence offsets always point into what the outlet published.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import sub

from pyarabic import araby

# Marks that change how text is displayed but never what it says: bidi
# embeddings/overrides/isolates, zero-width joiners and spaces, soft hyphen, BOM.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u2060\u00ad\ufeff\u061c"
)

# Arabic-Indic (U+0660..) and Extended/Persian (U+06F0..) digits to ASCII.
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}

# Letter variants that writers use interchangeably; unified so one pattern matches all.
_LETTERS = {
    "\u0622": "\u0627",  # alef madda -> alef
    "\u0623": "\u0627",  # alef hamza above -> alef
    "\u0625": "\u0627",  # alef hamza below -> alef
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0629": "\u0647",  # taa marbuta -> haa
    "\u0649": "\u064a",  # alef maqsura -> yaa
    "\u06cc": "\u064a",  # Farsi yeh -> yaa
    "\u06a9": "\u0643",  # keheh -> kaf
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u060c": ",",  # Arabic comma
    "\u061b": ";",  # Arabic semicolon
    "\u061f": "?",  # Arabic question mark
    "\u00a0": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
}

_TASHKEEL = frozenset(araby.TASHKEEL) | {araby.TATWEEL, "\u0670"}  # + dagger alef


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the index in the original."""

    text: str
    original: str
    offsets: tuple[int, ...]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span [start, end) of the normalised text to the original text."""
        if not self.offsets:
            return (0, 0)
        if start >= len(self.offsets):
            return (len(self.original), len(self.original))
        if end <= start:
            pos = self.offsets[start]
            return (pos, pos)
        return self.spans_to_original(((start, end),))[0]

    def spans_to_original(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """:meth:`span_to_original` of many non-empty spans in one pass (a text's tokens, in order)."""
        offsets, original = self.offsets, self.original
        size, last = len(original), len(offsets)
        out = []
        for start, end in spans:
            if start >= last:
                out.append((size, size))
                continue
            stop = offsets[(end if end < last else last) - 1] + 1  # no min(): one call per token
            # Diacritics and tatweel after the last letter belong to it ("مهاجراً", not "مهاجرا").
            # Every mark is at U+0300 or above: Latin text and most Arabic letters stop at one comparison.
            while stop < size and original[stop] >= _FIRST_MARK and _is_mark(original[stop]):
                stop += 1
            out.append((offsets[start], stop))
        return out

    def original_slice(self, start: int, end: int) -> str:
        """The original text behind a span of the normalised text."""
        a, b = self.span_to_original(start, end)
        return self.original[a:b]

    def span_from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span [start, end) of the original text to the normalised characters inside it."""
        return (bisect_left(self.offsets, start), bisect_left(self.offsets, end))

    def to_runs(self) -> list[list[int]]:
        """The offset map, run-length encoded for the wire: ``[norm_index, orig_index]`` where a run starts.

        Within a run both indices advance together, so a run starts only where
        characters were dropped or whitespace collapsed: a few pairs per paragraph.
        """
        # offsets[i] - i never decreases (offsets strictly increase) and steps up exactly
        # where a run starts, so each run's end is found by bisection instead of a scan.
        deltas = list(map(sub, self.offsets, range(len(self.offsets))))
        runs: list[list[int]] = []
        i = 0
        while i < len(deltas):
            runs.append([i, i + deltas[i]])
            i = bisect_right(deltas, deltas[i], i)
        return runs

    @classmethod
    def from_runs(cls, text_norm: str, original: str, runs: list[list[int]]) -> NormalizedText:
        """Rebuild a :class:`NormalizedText` from :meth:`to_runs` output; ValueError if the runs do not fit."""
        size = len(text_norm)
        if not runs:
            if size:
                raise ValueError("no runs for a non-empty normalised text")
            return cls(text_norm, original, ())
        offsets: list[int] = []
        for k, run in enumerate(runs):
            if len(run) != 2:
                raise ValueError(f"run {k} is not a [norm_index, orig_index] pair")
            norm_start, orig_start = run
            norm_end = runs[k + 1][0] if k + 1 < len(runs) else size
            if norm_start != len(offsets) or norm_end <= norm_start:
                raise ValueError(f"run {k} does not continue the previous one")
            if offsets and orig_start <= offsets[-1]:
                raise ValueError(f"run {k} goes backwards in the original")
            offsets.extend(range(orig_start, orig_start + norm_end - norm_start))
        if offsets[-1] >= len(original) or offsets[0] < 0:
            raise ValueError("runs point outside the original text")
        return cls(text_norm, original, tuple(offsets))


# The first combining mark (U+0300); Arabic diacritics, tatweel and the dagger alef are above it.
_FIRST_MARK = "\u0300"


def _is_mark(ch: str) -> bool:
    """A character that only decorates the one before it: an Arabic diacritic, tatweel, a combining mark."""
    return ch in _TASHKEEL or unicodedata.category(ch).startswith("M")


def _map_char(ch: str) -> str | None:
    """The normalised form of one character; None drops it, ' ' marks whitespace."""
    if ch in _INVISIBLE or ch in _TASHKEEL:
        return None
    if ch in _DIGITS:
        return _DIGITS[ch]
    if ch in _LETTERS:
        return _LETTERS[ch]
    if ch.isspace():
        return " "
    if ord(ch) < 128:
        return ch
    # Latin letters with accents (Dayr az Zawr vs Dayr āz Zawr): keep the base letter.
    if unicodedata.category(ch).startswith("M"):
        return None
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def normalize(text: str, *, lowercase: bool = True) -> NormalizedText:
    """Normalise Arabic and Latin text for matching, keeping an offset map.

    Arabic: diacritics and tatweel removed, alef/hamza forms, taa marbuta and alef
    maqsura unified, Arabic-Indic and Persian digits mapped to ASCII. Both
    scripts: bidi and zero-width marks removed, whitespace runs collapsed to one
    space, Latin case-folded when ``lowercase``.
    """
    if _DROPPED in text:
        return _normalize_by_char(text, lowercase)
    # One C-level pass maps every character (dropped ones to a marker); Python then only
    # visits the places where characters were dropped or whitespace collapsed.
    mapped = text.translate(_TABLES[lowercase])
    if _DROPPED in mapped:
        kept = mapped.replace(_DROPPED, "")
        spans = [m.span() for m in _KEPT_RUN.finditer(mapped)]
        offsets = list(chain.from_iterable(range(a, b) for a, b in spans))
    else:
        kept, offsets = mapped, list(range(len(mapped)))
    norm_text, norm_offsets = _collapse_spaces(kept, offsets)
    return NormalizedText(norm_text, text, norm_offsets)


def _collapse_spaces(kept: str, offsets: list[int]) -> tuple[str, tuple[int, ...]]:
    """Collapse runs of spaces to their first one and strip both ends, carrying the offsets along."""
    stripped = kept.strip(" ")
    lead = len(kept) - len(kept.lstrip(" "))
    kept, offsets = stripped, offsets[lead : lead + len(stripped)]
    if "  " not in kept:
        return kept, tuple(offsets)
    parts: list[str] = []
    positions: list[int] = []
    start = 0
    for match in _SPACE_RUN.finditer(kept):
        cut = match.start() + 1  # keep the run's first space
        parts.append(kept[start:cut])
        positions.extend(offsets[start:cut])
        start = match.end()
    parts.append(kept[start:])
    positions.extend(offsets[start:])
    return "".join(parts), tuple(positions)


def _normalize_by_char(text: str, lowercase: bool) -> NormalizedText:
    """The character-by-character definition of :func:`normalize` (used when the fast path cannot be)."""
    out: list[str] = []
    offsets: list[int] = []
    last_space = True  # also strips leading whitespace
    table = _TABLES[lowercase]
    for i, ch in enumerate(text):
        mapped = table[ord(ch)]
        if mapped == _DROPPED and ch != _DROPPED:
            continue
        if mapped == " ":
            if last_space:
                continue
            last_space = True
        else:
            last_space = False
        out.append(mapped)
        offsets.append(i)
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return NormalizedText("".join(out), text, tuple(offsets))


class _Table(dict[int, str]):
    """``str.translate`` table filled on first sight of each character from :func:`_map_char`."""

    def __init__(self, lowercase: bool) -> None:
        super().__init__()
        self.lowercase = lowercase

    def __missing__(self, code: int) -> str:
        mapped = _map_char(chr(code))
        if mapped is None:
            value = _DROPPED
        elif self.lowercase and mapped != " ":
            lowered = mapped.lower()
            # A few letters lower to two characters (U+0130): keep one-to-one offsets.
            value = lowered if len(lowered) == 1 else mapped
        else:
            value = mapped
        self[code] = value
        return value


# A lone surrogate never occurs in well-formed text, so it can mark dropped characters;
# a text that does contain one takes the character-by-character path.
_DROPPED = "\udfff"
_KEPT_RUN = re.compile("[^\udfff]+")
_SPACE_RUN = re.compile(" {2,}")
_TABLES = {True: _Table(lowercase=True), False: _Table(lowercase=False)}


def strip_invisible(text: str) -> str:
    """Remove bidi and zero-width marks, leaving everything else as it is."""
    return "".join(ch for ch in text if ch not in _INVISIBLE)


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def script_ratio(text: str) -> tuple[int, int]:
    """Count Arabic and Latin letters in ``text``."""
    return len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
