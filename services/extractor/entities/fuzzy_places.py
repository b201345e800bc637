"""Arabic names of places GeoNames has only in Latin script, found by transliteration.

Many villages of the wars a monitor follows have no Arabic name in GeoNames ("Tremseh", "Kutum",
"Al Mahabishah"), so the automaton cannot see "بلدة التريمسة". After a settlement word ("قرية",
"بلدة", "مخيم": ``ar/settlement_words.txt``) the next one to three words that no
mention covers are read as a name: their consonant skeleton is looked up in the gazetteer's skeleton
index (built from the Latin names of the focus countries' places), only places in the countries the
text is about are kept, and a rapidfuzz ratio between the rough transliteration and the place's
Latin name confirms the match. No loop over names: a handful of dictionary look-ups per cue word.

A wrong village is worse than none: the cue word is required, ordinary words are stopped by the
stop lists, the ratio threshold is measured (see ``MIN_RATIO``), and the confidence stays below a
direct match's (``source="transliteration"``).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from services.extractor.arabic_words import ARTICLE, NAME_PREPOSITIONS, alternation, glued_prefixes
from services.extractor.entities import keys
from services.extractor.entities.context import PlaceContext
from services.extractor.entities.gazetteer import Gazetteer, Place
from services.extractor.entities.model import PlaceMention
from services.extractor.entities.places import place_mention
from services.extractor.entities.resources import RESOURCE_DIR, read_lines
from shared.textnorm import NormalizedText, normalize

SOURCE = "transliteration"
# rapidfuzz ratio (0-100) between the compact transliteration and the compact Latin name below which
# a skeleton hit is a chance collision. Measured by reading the 2,619 Arabic GeoNames names of places
# in twelve Arab focus countries back through this pass (restricted to each place's country): at 75
# the right place comes first for 62% of them and a wrong one for 1.8%; at 70, 65% and 1.9%; at 85,
# 44% and 1.0%. Of 1,152 Arabic words of the casualty lexicon and entity resources, each put after
# "بلدة" in a text on Syria, 10 are read as a Syrian place at 75, three of them rightly (Abu Kamal,
# Tabqa, Tremseh); in a text on Yemen 11, on Iraq 2, on Sudan 1.
MIN_RATIO = 75.0
# A village in another province of the country than all the text's other places there must be
# spelt closer: "حي الزيتون" of an article on Gaza City is not Az Zaytuniyah in the West Bank (77).
ELSEWHERE_EXTRA = 10.0
# A skeleton of fewer consonants than this fits too many words ("كرم", "نور") to name a village.
MIN_SKELETON = 3
MAX_NAME_WORDS = 3
# Confidence of a transliterated match: below the automaton's 0.8-0.9, scaled by the similarity.
CONF_LOW, CONF_HIGH = 0.55, 0.7
# Bound on the spelling variants tried per name (each one a dictionary look-up).
_MAX_VARIANTS = 48

# Glued prepositions and conjunction in front of a cue word ("وبقرية").
_CUE_GLUE = alternation(glued_prefixes(NAME_PREPOSITIONS))
_TOKEN = re.compile(r"\w+|[^\w\s]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")

# Consonant skeleton of each Arabic letter in keys.latin_skeleton's alphabet (K kh, S sh, T th, D dh),
# with the Latin renderings GeoNames also uses ("Thawrah"/"Tawra", "Managil" for المناقل).
# An empty string drops the letter (vowel letters; ayn and hamza, absent here, too, unless they split
# the word: see _word_skeletons).
_SKELETON: dict[str, tuple[str, ...]] = {
    "ا": ("",), "ى": ("",), "و": ("",), "ي": ("",),
    "ب": ("b",), "ت": ("t",), "ث": ("T", "t", "s"), "ج": ("j",), "ح": ("h",), "خ": ("K",),
    "د": ("d",), "ذ": ("D", "z", "d"), "ر": ("r",), "ز": ("z",), "س": ("s",), "ش": ("S",),
    "ص": ("s",), "ض": ("d", "D"), "ط": ("t",), "ظ": ("z", "D"), "غ": ("g",),
    "ف": ("f",), "ق": ("k", "j"), "ك": ("k",), "ل": ("l",), "م": ("m",), "ن": ("n",),
    "ه": ("h",),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hit:
    """A transliterated name: its span in the normalised text, the place and the similarity."""

    start: int
    end: int
    place: Place
    ratio: float
    confidence: float


def _segment(letters: str, last_word: bool) -> list[str]:
    """Skeleton readings of one ayn-free stretch of an Arabic word."""
    body, tails = letters, [""]
    # The Latin skeleton drops a final h of a token longer than two letters: taa marbuta
    # ("التريمسة" = Tremseh) and final ha ("Qurh" = "kr"). Inside a construct ("ناحية بحار" =
    # Nahiyat Bahar) taa marbuta is a t.
    if len(letters) > 1 and letters[-1] in "هح":
        body = letters[:-1]
        tails = ["", "h"] if letters[-1] == "ح" else ([""] if last_word else ["", "t"])
    choices = [_SKELETON.get(ch, ("",)) for ch in body]
    readings = ("".join(c) for c in itertools.islice(itertools.product(*choices), _MAX_VARIANTS))
    return [keys.collapse(r + t) for r in readings for t in tails]


def _word_skeletons(word: str, last_word: bool) -> list[tuple[str, ...]]:
    """Skeleton readings of one normalised Arabic word (article removed), each as its tokens."""
    # Ayn and hamza are dropped ("Maarat") or split the word ("Ma'arrat" -> "ma arrat"), as GeoNames'
    # apostrophes do once they are spaces.
    pieces = re.split(r"([عءئؤ])", word)
    letters = pieces[0::2]
    out: list[tuple[str, ...]] = []
    for splits in itertools.product((False, True), repeat=len(pieces) // 2):
        groups = [letters[0]]
        for split, nxt in zip(splits, letters[1:], strict=True):
            if split:
                groups.append(nxt)
            else:
                groups[-1] += nxt
        per_group = [_segment(g, last_word) if g else [""] for g in groups]
        for combo in itertools.islice(itertools.product(*per_group), _MAX_VARIANTS):
            out.append(tuple(p for p in combo if p))
        if len(out) >= _MAX_VARIANTS:
            break
    return list(dict.fromkeys(out))


def skeleton_keys(words: Sequence[str]) -> list[str]:
    """Skeleton index keys an Arabic name may have in the gazetteer (normalised words, article kept)."""
    per_word: list[list[tuple[str, ...]]] = []
    for i, word in enumerate(words):
        bare = word[2:] if word.startswith(ARTICLE) and len(word) > 3 else word
        readings = _word_skeletons(bare, i == len(words) - 1)
        if bare != word:
            # "AlZwya", "Elkhalil": GeoNames sometimes glues the article to the name.
            readings += [(("l" + r[0]), *r[1:]) for r in readings if r]
        per_word.append(readings or [()])
    out: list[str] = []
    for combo in itertools.islice(itertools.product(*per_word), _MAX_VARIANTS):
        tokens = [t for reading in combo for t in reading]
        key = " ".join(tokens)
        if len(key.replace(" ", "")) >= MIN_SKELETON:
            out.append(key)
    return list(dict.fromkeys(out))


def transliteration(words: Sequence[str]) -> str:
    """Compact rough Latin rendering of a name, taa marbuta read as "a" ("التريمسة" -> "trimsa")."""
    parts = []
    for word in words:
        if len(word) > 2 and word.endswith("ه"):
            parts.append(keys.transliterate(word[:-1]) + "a")
        else:
            parts.append(keys.transliterate(word))
    return keys.compact(" ".join(parts))


_VOWEL_SPELLINGS = str.maketrans({"e": "i", "o": "u", "y": "i", "w": "u"})


def comparable(compact: str) -> str:
    """A compact Latin name with the spelling choices Arabic does not make undone: e/i, o/u, y/i and
    w/u are one letter, doubled letters one (no shadda is written), a final h is silent ("Tremseh"
    and "trimsa" become "trimsi" and "trimsa")."""
    text = compact.translate(_VOWEL_SPELLINGS)
    if len(text) > 3 and text.endswith("h"):
        text = text[:-1]
    return keys.collapse(text)


def similarity(words: Sequence[str], place: Place) -> float:
    """rapidfuzz ratio of the transliterated name and the place's Latin name, both comparable."""
    return fuzz.ratio(comparable(transliteration(words)), comparable(keys.compact(place.name)))


def lookup(gaz: Gazetteer, words: Sequence[str], countries: frozenset[str]) -> list[tuple[Place, float]]:
    """Places in ``countries`` whose Latin name the Arabic ``words`` may transliterate, with ratios."""
    seen: set[int] = set()
    out: list[tuple[Place, float]] = []
    for key in skeleton_keys(words):
        for idx in gaz.skeletons.get(key, ()):
            place = gaz.places[idx]
            # After a settlement word the name is a settlement, not a province or a country.
            if idx in seen or place.country not in countries or place.feature in ("country", "admin1"):
                continue
            seen.add(idx)
            ratio = similarity(words, place)
            if ratio >= MIN_RATIO:
                out.append((place, ratio))
    return out


def _fits_regions(place: Place, ratio: float, regions: Counter[tuple[str, str]]) -> bool:
    """False when the text's places in the place's country all lie in other provinces and the
    spelling is not close enough to outweigh that."""
    elsewhere = (
        any(c == place.country for c, _ in regions) and not regions[(place.country, place.admin1 or "")]
    )
    return not elsewhere or ratio >= MIN_RATIO + ELSEWHERE_EXTRA


def _best(
    options: list[tuple[Place, float]], regions: Counter[tuple[str, str]]
) -> tuple[Place, float, float] | None:
    """The likeliest option (similarity, then admin region of other mentions, then population) and
    its confidence; None when nothing fits."""
    options = [(p, r) for p, r in options if _fits_regions(p, r, regions)]
    if not options:
        return None

    def score(option: tuple[Place, float]) -> float:
        place, ratio = option
        near = 1.5 if place.admin1 and regions[(place.country, place.admin1)] else 0.0
        return ratio / 10.0 + near + math.log10(place.population + 1) / 7.0

    ranked = sorted(options, key=score, reverse=True)
    place, ratio = ranked[0]
    conf = CONF_LOW + (CONF_HIGH - CONF_LOW) * (ratio - MIN_RATIO) / (100.0 - MIN_RATIO)
    rivals = [o for o in ranked[1:] if (o[0].country, o[0].admin1) != (place.country, place.admin1)]
    if rivals:
        # Two villages of one name in different provinces: keep the better, say it is a guess.
        conf -= 0.1 * math.exp(-(score(ranked[0]) - score(rivals[0])))
    return place, ratio, round(conf, 3)


@dataclass(frozen=True)
class FuzzyPlaceFinder:
    """Cue words and stop words of the transliteration pass, normalised."""

    cue: re.Pattern[str]
    list_cues: frozenset[str]  # plural settlement words, followed by a list of names
    stop: frozenset[str]  # words that end a name
    not_last: frozenset[str]  # words that may open a name but not end it ("تل", "كفر", "الجديدة")

    @classmethod
    def load(cls, ctx: PlaceContext, resource_dir: Path = RESOURCE_DIR) -> FuzzyPlaceFinder:
        """Cues from ``ar/settlement_words.txt``; stops from ``ar/settlement_name_stop.txt`` and the
        context's qualifier, region and settlement words; name openers that are no name alone from
        ``ar/settlement_name_openers.txt``, ``ar/place_stopwords.txt`` and ``ar/first_names.txt``."""
        ar = resource_dir / "ar"
        stop = {_norm(w) for w in read_lines(ar / "settlement_name_stop.txt")}
        stop |= set(ctx.before) | set(ctx.after) | ctx.admin | ctx.trigger | ctx.cancel_before
        lines = [line.split() for line in read_lines(ar / "settlement_words.txt")]
        cues = sorted({_norm(w[0]) for w in lines}, key=len, reverse=True)
        list_cues = frozenset(_norm(w[0]) for w in lines if w[1:] == ["*"])
        stop |= set(cues)  # "قرى وبلدات": a second settlement word ends the name
        cue = re.compile(rf"(?<!\w){_CUE_GLUE}?(?P<cue>{'|'.join(map(re.escape, cues))})(?!\w)")
        # Given names too: "بلدة حسن" is no Al Husun; a village called after a person carries more.
        openers = [
            *read_lines(ar / "place_stopwords.txt"),
            *read_lines(ar / "settlement_name_openers.txt"),
            *read_lines(ar / "first_names.txt"),
        ]
        not_last = frozenset(_norm(w) for w in openers)
        return cls(cue, list_cues, frozenset(stop), not_last)

    def _names_after(self, text: str, pos: int) -> list[tuple[int, int]]:
        """Spans of the words after a cue that may form a name, up to the first stop."""
        spans: list[tuple[int, int]] = []
        for m in _TOKEN.finditer(text, pos):
            word = m.group()
            if len(spans) == MAX_NAME_WORDS or not _ARABIC_WORD.fullmatch(word) or word in self.stop:
                break
            if word.startswith("و") and word[1:] in self.stop:
                break
            spans.append((m.start(), m.end()))
        return spans

    def find(
        self,
        gaz: Gazetteer,
        nt: NormalizedText,
        known: Sequence[PlaceMention],
        ctx: PlaceContext,
        mt: str,
    ) -> list[PlaceMention]:
        """Transliterated place mentions after settlement words that ``known`` mentions do not cover."""
        out: list[PlaceMention] = []
        countries = _countries(known)
        if not countries:
            return out
        regions = _regions(known)
        taken = [nt.span_from_original(k.start, k.end) for k in known]
        for cue in self.cue.finditer(nt.text):
            pos: int | None = cue.end()
            while pos is not None:
                end = self._item(gaz, nt, pos, taken, countries, regions, ctx, mt, out)
                # "قرى التريمسة والحويز": the names of a list after a plural settlement word.
                pos = _next_item(nt.text, end) if end is not None and cue["cue"] in self.list_cues else None
        return out

    def _item(
        self,
        gaz: Gazetteer,
        nt: NormalizedText,
        pos: int,
        taken: list[tuple[int, int]],
        countries: frozenset[str],
        regions: Counter[tuple[str, str]],
        ctx: PlaceContext,
        mt: str,
        out: list[PlaceMention],
    ) -> int | None:
        """Read one name from ``pos``; the end of the name (known or found), or None if there is none."""
        spans = self._names_after(nt.text, pos)
        if not spans:
            return None
        # A name the automaton found (or any part of it) is not read again.
        known_end = next((b for a, b in taken if a < spans[0][1] and spans[0][0] < b), None)
        if known_end is not None:
            return known_end
        spans = list(itertools.takewhile(lambda s: not _overlaps(s, taken), spans))
        hit = self._longest(gaz, nt.text, spans, countries, regions)
        if hit is None:
            return None
        out.append(_mention(nt, hit, ctx.qualifier(mt, hit.start, hit.end)))
        taken.append((hit.start, hit.end))
        return hit.end

    def _longest(
        self,
        gaz: Gazetteer,
        text: str,
        spans: list[tuple[int, int]],
        countries: frozenset[str],
        regions: Counter[tuple[str, str]],
    ) -> Hit | None:
        """The longest run of words from the cue on that names a place, if any."""
        for n in range(len(spans), 0, -1):
            words = [text[a:b] for a, b in spans[:n]]
            # "بيت أمر": a generic first word (بيت، كفر، تل) leaves too little to tell villages apart.
            if words[-1] in self.not_last or not skeleton_keys([w for w in words if w not in self.not_last]):
                continue
            best = _best(lookup(gaz, words, countries), regions)
            if best is not None:
                place, ratio, conf = best
                return Hit(spans[0][0], spans[n - 1][1], place, ratio, conf)
        return None


_LIST_LINK = re.compile(r"\s*(?:[,،]\s*(?:و(?=\w))?|و(?=\w))")


def _next_item(text: str, end: int) -> int | None:
    """Start of the next name of a list after a name ending at ``end`` ("، والحويز"), or None."""
    m = _LIST_LINK.match(text, end)
    return m.end() if m else None


def _norm(word: str) -> str:
    return normalize(word).text


def _overlaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in taken)


def _countries(known: Sequence[PlaceMention]) -> frozenset[str]:
    """Countries of the text's other places. None named, none tried: over all 32 focus countries a
    third of ordinary words find some village at the threshold ("ناصر" -> An Nasr, Palestine)."""
    return frozenset(k.country for k in known if k.country)


def _regions(known: Sequence[PlaceMention]) -> Counter[tuple[str, str]]:
    return Counter((k.country, k.admin1 or "") for k in known if k.admin1)


def _mention(nt: NormalizedText, hit: Hit, qualifier: str | None) -> PlaceMention:
    return place_mention(nt, hit.start, hit.end, hit.place, hit.confidence, qualifier, SOURCE)


def merge(known: Sequence[PlaceMention], found: Sequence[PlaceMention]) -> list[PlaceMention]:
    """Known and transliterated mentions by offset; a transliterated one never overlaps a known one."""
    extra = [f for f in found if not any(k.start < f.end and f.start < k.end for k in known)]
    return sorted([*known, *extra], key=lambda m: m.start)
