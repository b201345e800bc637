"""Words around a place name: qualifiers ("eastern countryside", "outskirts") and region markers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from services.extractor.arabic_words import PREPOSITIONS, glued_prefixes
from services.extractor.entities.resources import RESOURCE_DIR, read_lines, read_yaml
from shared.textnorm import normalize

COMPASS = frozenset(
    [
        "eastern",
        "western",
        "northern",
        "southern",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "central",
    ]
)
# Glued Arabic prepositions in front of a context word ("بريف" = in the countryside of), longest first.
_AR_GLUE = tuple(sorted(filter(None, glued_prefixes(PREPOSITIONS)), key=len, reverse=True))


# The next word of a longer name: capitalised, or a short lowercase article hyphened to one ("al-Kfour").
_NAME_WORD = re.compile(r"(?:[a-z]{1,3}-)?[A-Z]")

# Context words are the one or two words next to a name: a window this wide holds them, and keeps the
# cost per mention flat however long the text (slicing the whole text was quadratic).
_WINDOW = 120


def _words_before(mt: str, start: int) -> list[str]:
    words = mt[max(0, start - _WINDOW) : start].split()
    words = words[1:] if start > _WINDOW and words else words  # the first may be cut: drop it
    # A preposition glued to the name ("لدير الزور") is part of its word, not a word before it.
    return words[:-1] if start > 0 and mt[start - 1].isalnum() and words else words


def _words_after(mt: str, end: int) -> list[str]:
    words = mt[end : end + _WINDOW].split()
    return words[:-1] if end + _WINDOW < len(mt) and words else words


def _norm(word: str) -> str:
    return normalize(word).text


def _unglue(token: str, table: dict[str, str] | frozenset[str]) -> str | None:
    """The token, or the token without a glued Arabic preposition, if it is in ``table``."""
    if token in table:
        return token
    for g in _AR_GLUE:
        if token.startswith(g) and token[len(g) :] in table:
            return token[len(g) :]
    return None


# The word-set fields of PlaceContext and the ``place_context.yaml`` key each is read from.
_WORD_SET_KEYS = {
    "admin": "admin",
    "trigger": "trigger",
    "cancel_after": "cancel_after",
    "cancel_before": "cancel_before",
    "name_prefixes": "name_prefixes",
    "name_stop": "unknown_name_stop",
    "continuations": "name_continuations",
    "given_names": "given_name_parts",
    "attributive_before": "attributive_before",
}


def _given_names(lang_dir: Path) -> set[str]:
    """Given names of ``first_names.txt``, less those that are also common words."""
    names, stop = lang_dir / "first_names.txt", lang_dir / "place_stopwords.txt"
    if not names.exists():
        return set()
    # Normalised, "علي" (Ali) is also "على" (on): a name that is also a common word is no cue.
    common = {_norm(w) for w in read_lines(stop)} if stop.exists() else set()
    return {_norm(w) for w in read_lines(names)} - common


@dataclass(frozen=True)
class PlaceContext:
    """Qualifier and region-marker words of all loaded languages, normalised."""

    before: dict[str, str]
    after: dict[str, str]
    admin: frozenset[str]
    trigger: frozenset[str]
    cancel_after: frozenset[str] = frozenset()
    cancel_before: frozenset[str] = frozenset()
    name_prefixes: frozenset[str] = frozenset()
    name_stop: frozenset[str] = frozenset()
    # Words that continue a place name rather than a person's ("Gaza City", "Kherson Oblast").
    continuations: frozenset[str] = frozenset()
    # Given names (and the "الله" closing compound ones): a name right after one is a surname.
    given_names: frozenset[str] = frozenset()
    # Words before a country's name that make it an adjective of the noun after it ("a US air strike").
    attributive_before: frozenset[str] = frozenset()

    @classmethod
    def load(cls, resource_dir: Path = RESOURCE_DIR, langs: tuple[str, ...] = ("ar", "en")) -> PlaceContext:
        """Merge ``<lang>/place_context.yaml`` of the given languages."""
        tables: dict[str, dict[str, str]] = {"before": {}, "after": {}}
        words: dict[str, set[str]] = {name: set() for name in _WORD_SET_KEYS}
        for lang in langs:
            words["given_names"] |= _given_names(resource_dir / lang)
            path = resource_dir / lang / "place_context.yaml"
            if not path.exists():
                continue
            data = read_yaml(path)
            for name, table in tables.items():
                table |= {_norm(k): v for k, v in (data.get(name) or {}).items()}
            for name, key in _WORD_SET_KEYS.items():
                words[name] |= {_norm(w) for w in data.get(key) or ()}
        return cls(
            before=tables["before"], after=tables["after"], **{k: frozenset(v) for k, v in words.items()}
        )

    def cancelled(self, mt: str, end: int) -> bool:
        """True when the next word shows the name is not a place ("الضفة الغربية لنهر الفرات")."""
        tokens = _words_after(mt, end)[:1]
        return bool(tokens) and tokens[0] in self.cancel_after

    def cancelled_before(self, mt: str, start: int) -> bool:
        """True when the word before makes the name part of another feature ("جبل الزاوية")."""
        tokens = _words_before(mt, start)[-1:]
        return bool(tokens) and _unglue(tokens[0], self.cancel_before) is not None

    def attributive(self, mt: str, start: int) -> bool:
        """True when the word before makes the name an adjective ("a US air strike", "an Iran deal"):
        a country used so names a party or a subject, not where the people were."""
        tokens = _words_before(mt, start)[-1:]
        return bool(tokens) and tokens[0] in self.attributive_before

    def after_given_name(self, mt: str, start: int) -> bool:
        """True when the word just before ``start`` is a given name: "محمد الرقة" is a person."""
        tokens = _words_before(mt, start)[-1:]
        return bool(tokens) and tokens[0] in self.given_names

    def truncated(self, key: str, following: str) -> bool:
        """True when a one-word match is only the first word of a longer name the gazetteer lacks:
        "Abu" of "Abu Shouk", "Bani" of "Bani Hawat" (the next word is capitalised, or an article
        glued to a capitalised word: "Wadi al-Hujeir")."""
        nxt = following.split()[:1]
        return key in self.name_prefixes and bool(nxt) and _NAME_WORD.match(nxt[0]) is not None

    def _before(self, mt: str, start: int) -> str | None:
        tokens = _words_before(mt, start)[-4:]
        # "أطراف مدينة الرقة", "الريف الغربي لمدينة حلب": the settlement word sits between.
        if tokens and _unglue(tokens[-1], self.trigger):
            tokens = tokens[:-1]
        for n in (2, 1):
            if len(tokens) < n:
                continue
            hit = _unglue(" ".join(tokens[-n:]), self.before)
            if hit:
                # "eastern countryside of Deir ez-Zor", "southern rural Idlib": a compass word before.
                compass = self.before.get(tokens[-n - 1]) if len(tokens) > n else None
                if compass in COMPASS and self.before[hit] not in COMPASS:
                    return f"{compass} {self.before[hit]}"
                return self.before[hit]
        return None

    def _after(self, mt: str, end: int) -> str | None:
        tokens = _words_after(mt, end)[:2]
        if len(tokens) == 2 and f"{tokens[0]} {tokens[1]}" in self.after:
            return self.after[f"{tokens[0]} {tokens[1]}"]
        if tokens and tokens[0] in self.after:
            return self.after[tokens[0]]
        return None

    def qualifier(self, mt: str, start: int, end: int) -> str | None:
        """Qualifier of the name at [start, end) of the match text, e.g. "eastern countryside"."""
        parts = [q for q in (self._before(mt, start), self._after(mt, end)) if q]
        compass = [q for q in parts if q in COMPASS]
        nouns = [q for q in parts if q not in COMPASS]
        if compass and nouns:
            return f"{compass[0]} {nouns[0]}"
        return parts[0] if parts else None

    def has_admin_word(self, mt: str, start: int, end: int) -> bool:
        """True when the name is marked as a region ("محافظة إدلب", "Idlib province", "province of Idlib")."""
        before = _words_before(mt, start)[-2:]
        if before and _unglue(before[-1], self.admin):
            return True
        if len(before) == 2 and before[1] == "of" and before[0] in self.admin:
            return True
        after = _words_after(mt, end)[:1]
        return bool(after) and after[0] in self.admin and not any("\u0600" <= c <= "\u06ff" for c in after[0])

    def region_in_name(self, key: str) -> bool:
        """True when a region word is part of the name itself ("قطاع غزة", the Gaza Strip; "Kherson
        Oblast"): the name is the region's own, not a city's other name."""
        words = key.split()
        return len(words) > 1 and (words[0] in self.admin or words[-1] in self.admin)

    def trigger_before(self, mt: str, start: int) -> bool:
        """True when a settlement word ("بلدة", "قرية", "village") stands just before ``start``."""
        tokens = _words_before(mt, start)[-1:]
        return bool(tokens) and _unglue(tokens[0], self.trigger) is not None
