"""Name keys: the normalised forms under which place and actor names are indexed and looked up.

Arabic keys use :func:`shared.textnorm.normalize` (hamza/alef, taa marbuta and yaa unified) with the
leading article removed; Latin keys are case-folded, accent-free, with hyphens and apostrophes as
spaces. Skeletons (consonants only) let "Deir ez-Zor", "Deir al-Zour" and "Dayr az Zawr" meet, and
let an Arabic spelling meet a Latin GeoNames name through transliteration.
"""

from __future__ import annotations

import re
import unicodedata

from services.extractor.arabic_words import (
    ARTICLE,
    LATIN_ARTICLES,
    NAME_PREPOSITIONS,
    PREPOSITIONS,
    article_prefixes,
    glued_prefixes,
)
from shared.textnorm import normalize

# Letters that can be glued in front of a bare Arabic name: wa-, fa-, bi-, li- and pairs of them
# (not ka-: see resources/ar/clitics.yaml).
AR_PLAIN_PREFIXES = frozenset(glued_prefixes(NAME_PREPOSITIONS))
# The same and ka- followed by the article; li- + al- is written لل.
AR_ARTICLE_PREFIXES = frozenset(article_prefixes(PREPOSITIONS))

_AR_LETTER = re.compile(r"[\u0621-\u064a\u0660-\u0669\u066e-\u06d3]")
_LATIN_SEP = str.maketrans(
    {"-": " ", "'": " ", "`": " ", "\u2018": " ", "\u2019": " ", "\u02bf": " ", "\u02be": " "}
)
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def is_arabic(text: str) -> bool:
    """True when the text contains an Arabic letter."""
    return bool(_AR_LETTER.search(text))


def is_word_char(ch: str) -> bool:
    """A character that continues a word (letters, digits) in either script."""
    return ch.isalnum()


def arabic_key(name: str) -> tuple[str, bool]:
    """Normalised Arabic name and whether it carried the article, e.g. "الرقة" -> ("رقه", True)."""
    text = normalize(name).text
    text = _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()
    if text.startswith(ARTICLE) and len(text) > 4 and text[2] != " ":
        return text[2:], True
    return text, False


def latin_match_text(norm_text: str) -> str:
    """The normalised text with hyphens and apostrophes as spaces, same length (offsets kept)."""
    return norm_text.translate(_LATIN_SEP)


def latin_key(name: str) -> str:
    """Case-folded, accent-free Latin key with separators as single spaces."""
    text = latin_match_text(normalize(name).text)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def latin_variants(name: str) -> set[str]:
    """Keys for a Latin name: as written, and without a leading article ("al mayadin", "mayadin")."""
    key = latin_key(name)
    if not key:
        return set()
    out = {key}
    tokens = key.split(" ")
    if len(tokens) > 1 and tokens[0] in LATIN_ARTICLES:
        out.add(" ".join(tokens[1:]))
    return out


_DIGRAPHS = (
    ("kh", "K"),
    ("sh", "S"),
    ("th", "T"),
    ("dh", "D"),
    ("gh", "G"),
    ("dj", "j"),
    ("ch", "S"),
    ("ou", "u"),
)
_DROP = str.maketrans("", "", "aeiouyw' ")
_CONSONANT_SUBST = str.maketrans({"q": "k", "c": "k", "g": "j", "G": "g", "p": "b", "v": "f", "x": "k"})


def collapse(text: str) -> str:
    """Runs of one letter as one: "Raqqa" -> "Raqa"."""
    out: list[str] = []
    for ch in text:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _token_skeleton(token: str) -> str:
    for a, b in _DIGRAPHS:
        token = token.replace(a, b)
    token = token.translate(_CONSONANT_SUBST)
    # A final h is usually taa marbuta (Raqqah = Raqqa).
    if len(token) > 2 and token.endswith("h"):
        token = token[:-1]
    return collapse(token.translate(_DROP))


def latin_skeleton(name: str) -> str:
    """Consonant skeleton of a Latin name, articles removed: "Deir ez-Zor" -> "dr zr"."""
    tokens = [t for t in latin_key(name).split(" ") if t and t not in LATIN_ARTICLES]
    return " ".join(s for s in (_token_skeleton(t) for t in tokens) if s)


# One Latin rendering per Arabic letter; long vowels become vowels (dropped by the skeleton).
_AR_TO_LATIN = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u",
    "ي": "i", "ء": "'", "ئ": "'", "ؤ": "'", " ": " ",
}  # fmt: skip


def transliterate(arabic: str) -> str:
    """Rough Latin rendering of an Arabic name, for fuzzy comparison with GeoNames' Latin names."""
    words = []
    for word in normalize(arabic).text.split(" "):
        if word.startswith(ARTICLE) and len(word) > 3:
            words.append("al")
            word = word[2:]
        latin = "".join(_AR_TO_LATIN.get(ch, "") for ch in word)
        # Word-initial waw/yaa are consonants.
        if word[:1] == "و":
            latin = "w" + latin[1:]
        elif word[:1] == "ي":
            latin = "y" + latin[1:]
        words.append(latin)
    return " ".join(w for w in words if w)


def compact(latin: str) -> str:
    """Article-free, space-free Latin form used for fuzzy ratios (like the casualty scorer's)."""
    tokens = [t for t in latin_key(latin).split(" ") if t and t not in LATIN_ARTICLES]
    return "".join(tokens)


_DISPLAY_MARKS = re.compile(r"[\u2018\u2019\u02bf\u02be`\u2032]")


def normalize_latin_display(name: str) -> str:
    """A Latin name without diacritics or ayn/hamza marks, case kept: "Al ‘Ashārah" -> "Al Asharah"."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", _DISPLAY_MARKS.sub("", name)) if not unicodedata.combining(c)
    )
    return _SPACES.sub(" ", plain).strip()
