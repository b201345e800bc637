"""The date words of each language: weekdays, months, day counts and ordinal days, loaded once.

The tables are data (``resources/<lang>/dates.yaml`` and ``resources/<lang>/ordinal_days.tsv``),
normalised like the text they are matched in; the English names double as the canonical phrases
dateparser is given (``MONTHS_EN[MONTHS_AR[name]]``).
"""

from __future__ import annotations

import re
from typing import Any

from services.extractor.entities.resources import RESOURCE_DIR, read_tsv, read_yaml
from shared.textnorm import normalize


def norm_word(word: str) -> str:
    """A date word in the form the normalised text spells it."""
    return normalize(word).text


def _dates_yaml(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(RESOURCE_DIR / lang / "dates.yaml")
    return data


def _spellings_by_index(entries: list[list[str]], variants: dict[str, int]) -> dict[str, int]:
    """Normalised spelling -> 0-based index, from one list of spellings per weekday or month and
    other spellings by their 1-based number."""
    index = {norm_word(name): i for i, names in enumerate(entries) for name in names}
    return index | {norm_word(name): number - 1 for name, number in variants.items()}


def _ordinals(lang: str) -> dict[str, int]:
    """Normalised ordinal day word -> day number, from ``resources/<lang>/ordinal_days.tsv``."""
    rows = read_tsv(RESOURCE_DIR / lang / "ordinal_days.tsv")
    return {norm_word(row["word"]): int(row["day"]) for row in rows}


_EN = _dates_yaml("en")
_AR = _dates_yaml("ar")

WEEKDAYS_EN: list[str] = list(_EN["weekdays"])
MONTHS_EN: list[str] = list(_EN["months"])
MONTH_ABBREVIATIONS_EN: list[str] = list(_EN["month_abbreviations"])
WEEKDAYS_AR = _spellings_by_index(_AR["weekdays"], {})
MONTHS_AR = _spellings_by_index(_AR["months"], _AR.get("month_variants") or {})
# Day counts of both languages ("three days ago", "منذ ثلاثة أيام").
NUMBER_WORDS: dict[str, int] = {
    norm_word(w): n for data in (_EN, _AR) for w, n in data["number_words"].items()
}
# Words of saying of both languages: a day next to one dates a statement, not the event it reports.
STATEMENT_WORDS = frozenset(norm_word(w) for data in (_EN, _AR) for w in data.get("statement_words") or [])
# A conjunction or preposition glued to an Arabic word of saying ("وقال", "فأعلن").
GLUED_OPENERS = ("و", "ف")
ORDINALS_AR = _ordinals("ar")
ORDINALS_EN = _ordinals("en")


def ordinal_key(word: str) -> str:
    """The word list's spelling of a matched ordinal: "-" between English parts, " و" in Arabic ones."""
    if word.isascii():
        return re.sub(r"[\s-]+", "-", word)
    return re.sub(r"\s+", " ", re.sub(r"\s+و\s*", " و", word))
