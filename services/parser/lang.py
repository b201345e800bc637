"""Language of the main text: Arabic, English, or an honest ``und``.

No model: the script decides between Arabic and Latin; letters that Arabic
does not use (Persian/Urdu پ چ ژ گ ی ...) turn Arabic script into ``und``; in
Latin script, the share of very common English words separates English from
French, Spanish or Turkish. Hints (the record's ``lang``, ``<html lang>``)
only break ties on text too short to judge.
"""

from __future__ import annotations

import re

# Enough text to judge the language; longer articles do not change the answer.
_SAMPLE_CHARS = 6000
# Fewer letters than this is a caption, not enough to say anything.
_MIN_LETTERS = 20
# Share of a script's letters among all letters for the text to be in that script.
_SCRIPT_SHARE = 0.7
# Share of Persian/Urdu-only letters in Arabic script above which the text is not Arabic.
_MAX_NON_ARABIC_LETTERS = 0.01
# Share of English function words among Latin words: about 0.35 in English news, under 0.05 elsewhere.
_MIN_ENGLISH_SHARE = 0.15
# Below this share even a hint cannot make text English.
_MIN_HINTED_ENGLISH_SHARE = 0.07

_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_NON_ARABIC = re.compile(r"[\u067e\u0686\u0698\u06af\u06cc\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

_ENGLISH = frozenset(
    str.split(
        "the of and to in a is was were for on that with said by at as from has have had it its be been "
        "an are which who this they their after but not or he she his her will would"
    )
)


def guess_language(text: str, hints: tuple[str | None, ...] = ()) -> tuple[str, list[str]]:
    """Return ("ar" | "en" | "und", warnings) for ``text``."""
    sample = text[:_SAMPLE_CHARS]
    arabic = len(_ARABIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    letters = arabic + latin
    hinted = {_short(h) for h in hints if h}
    if letters < _MIN_LETTERS:
        return "und", ["lang_too_short"]
    if arabic / letters >= _SCRIPT_SHARE:
        if len(_NON_ARABIC.findall(sample)) > _MAX_NON_ARABIC_LETTERS * arabic:
            return "und", ["lang_not_arabic"]
        return "ar", _mismatch("ar", hinted)
    if latin / letters >= _SCRIPT_SHARE:
        share = english_share(sample)
        if share >= _MIN_ENGLISH_SHARE or ("en" in hinted and share >= _MIN_HINTED_ENGLISH_SHARE):
            return "en", _mismatch("en", hinted)
        return "und", ["lang_not_english"]
    return "und", ["lang_mixed_script"]


def english_share(text: str) -> float:
    """Share of English function words among the Latin words of ``text``."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    return sum(1 for w in words if w in _ENGLISH) / len(words) if words else 0.0


def _short(tag: str) -> str:
    """ "en-GB" -> "en", "ar_AR" -> "ar"."""
    return tag.strip().lower().replace("_", "-").split("-")[0]


def _mismatch(lang: str, hinted: set[str]) -> list[str]:
    return ["lang_hint_mismatch"] if hinted and lang not in hinted else []
