"""One cached loader for the per-language resource files under ``resources/<lang>/``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from services.extractor.casualties.model import VictimNoun
from shared.textnorm import normalize

RESOURCE_DIR = Path(__file__).resolve().parent / "resources"
LANGS = ("ar", "en")

# The same token pattern as the tokenizer: numbers, words, single punctuation marks.
TOKEN_RE = re.compile(r"\d+(?:[.,]\d{3})*(?:\.\d+)?|[^\W\d_]+|[^\w\s]")
NUMBER_SLOT = "#"


def norm_word(text: str) -> str:
    """A lexicon entry in the form tokens are matched against."""
    return normalize(text).text


def phrase_tokens(text: str) -> tuple[str, ...]:
    """Split a normalised phrase into tokens; '#' stays a number slot."""
    return tuple(NUMBER_SLOT if t == NUMBER_SLOT else t for t in TOKEN_RE.findall(norm_word(text)) or [text])


@dataclass(frozen=True, slots=True)
class PhraseSet:
    """Phrases indexed by their first token, each with a value (a kind, a qualifier or True)."""

    by_first: dict[str, tuple[tuple[tuple[str, ...], Any], ...]]

    @classmethod
    def build(cls, entries: dict[str, Any]) -> PhraseSet:
        """Index ``{phrase: value}``."""
        index: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, value in entries.items():
            toks = phrase_tokens(phrase)
            if toks:
                index.setdefault(toks[0], []).append((toks, value))
        # Longest first, so the first match found is the longest.
        return cls({k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in index.items()})

    def __contains__(self, key: str) -> bool:
        return key in self.by_first


@dataclass(frozen=True, slots=True)
class NumberWord:
    """One number word: its value, its role in a compound and the spelling pyarabic expects."""

    value: int
    role: str  # "unit" | "ten" | "hundred" | "scale"
    canonical: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the casualty rules know about one language."""

    lang: str
    triggers: PhraseSet
    victims: dict[str, VictimNoun]
    numbers: dict[str, NumberWord]
    compound_only: frozenset[str]
    scale_only: frozenset[str]
    one_words: frozenset[str]
    cues: dict[str, PhraseSet]
    modifiers: frozenset[str]
    # Bodies of people a partitive names after a count ("أربعة من رجال الأمن"): word -> category.
    groups: dict[str, str] = field(default_factory=dict)
    # The word lists of victims.yaml ("partitive_words", "one_of", "along_with", ...), by key.
    victim_words: dict[str, frozenset[str]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        """One of victims.yaml's word lists, normalised; empty when the language has none."""
        return self.victim_words.get(name, frozenset())


def _read(lang: str, name: str) -> dict[str, Any]:
    with (RESOURCE_DIR / lang / f"{name}.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return data or {}


def _victims(data: dict[str, Any]) -> dict[str, VictimNoun]:
    out: dict[str, VictimNoun] = {}
    for category, groups in (data.get("categories") or {}).items():
        for number, words in (groups or {}).items():
            for w in words or []:
                out[norm_word(w)] = VictimNoun(category, None, number)
    for kind, groups in (data.get("casualty_nouns") or {}).items():
        for number, words in (groups or {}).items():
            for w in words or []:
                out[norm_word(w)] = VictimNoun("people", kind, number)
    return out


def _groups(data: dict[str, Any]) -> dict[str, str]:
    return {
        norm_word(w): category
        for category, words in (data.get("partitive_groups") or {}).items()
        for w in words or []
    }


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(norm_word(w) for w in data.get(key) or [])


def _numbers(data: dict[str, Any]) -> dict[str, NumberWord]:
    out: dict[str, NumberWord] = {}
    for section, role in (("units", "unit"), ("tens", "ten"), ("hundreds", "hundred"), ("scales", "scale")):
        for word, value in (data.get(section) or {}).items():
            out[norm_word(word)] = NumberWord(int(value), role, word)
    for variant, canonical in (data.get("variants") or {}).items():
        target = out[norm_word(canonical)]
        out[norm_word(variant)] = NumberWord(target.value, target.role, canonical)
    return out


def _check_text(name: str, entries: Any) -> None:
    """YAML reads bare no/on/false as booleans: every entry must stay text."""
    bad = [e for e in entries or [] if not isinstance(e, str)]
    if bad:
        raise ValueError(f"cue list {name!r} has entries that are not text (quote them): {bad!r}")


def _cues(data: dict[str, Any]) -> dict[str, PhraseSet]:
    cues: dict[str, PhraseSet] = {}
    for name, value in data.items():
        for entries in value.values() if isinstance(value, dict) else [value]:
            _check_text(name, entries)
        if name == "modifiers":
            continue
        if isinstance(value, dict):  # qualifiers: {value: [phrases]}
            cues[name] = PhraseSet.build({p: q for q, phrases in value.items() for p in phrases or []})
        else:
            cues[name] = PhraseSet.build({p: True for p in value or []})
    return cues


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The resources of ``lang`` ("ar" or "en"), loaded once per process."""
    if lang not in LANGS:
        raise ValueError(f"no casualty resources for language {lang!r}")
    triggers = _read(lang, "triggers")
    numbers = _read(lang, "numbers")
    cues = _read(lang, "cues")
    victims = _read(lang, "victims")
    return Lexicon(
        lang=lang,
        triggers=PhraseSet.build({p: kind for kind, phrases in triggers.items() for p in phrases}),
        victims=_victims(victims),
        numbers=_numbers(numbers),
        compound_only=frozenset(norm_word(w) for w in numbers.get("compound_only") or []),
        scale_only=frozenset(norm_word(w) for w in numbers.get("scale_only") or []),
        one_words=frozenset(norm_word(w) for w in numbers.get("one_words") or []),
        cues=_cues(cues),
        modifiers=frozenset(norm_word(w) for w in cues.get("modifiers") or []),
        groups=_groups(victims),
        victim_words={k: _words(victims, k) for k, v in victims.items() if isinstance(v, list)},
    )
